#!/usr/bin/env bash
# Rebuilds public/fonts/: Vazirmatn (npm vazirmatn@33.0.3, SIL OFL 1.1) subset to what Pishkhan
# writes — Persian/Arabic letters (with ZWNJ), Persian and Arabic-Indic digits, Basic Latin and
# common punctuation — in weights 400 and 700, as woff2. The outputs are committed; run this only
# to change the character set or the font version (style/fonts.css's unicode-range must follow).
#
# Needs npm and python3; fonttools + brotli go into .tools/venv (gitignored), the npm package into
# a temporary directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAZIRMATN_VERSION=33.0.3
FONTTOOLS_VERSION=4.68.0
out="$root/public/fonts"

venv="$root/.tools/venv"
if ! "$venv/bin/python" -c "import fontTools, brotli" 2>/dev/null \
  || [ "$("$venv/bin/python" -c 'import fontTools; print(fontTools.version)')" != "$FONTTOOLS_VERSION" ]; then
  echo "== installing fonttools $FONTTOOLS_VERSION and brotli into .tools/venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "fonttools==$FONTTOOLS_VERSION" brotli
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "vazirmatn@$VAZIRMATN_VERSION" >/dev/null && tar xzf "vazirmatn-$VAZIRMATN_VERSION.tgz")
pkg="$work/package"

# The characters kept (style/fonts.css repeats this list as unicode-range):
#   U+0020-007E  Basic Latin
#   U+00A0       no-break space
#   U+00AB,00BB  « »
#   U+00D7       ×
#   U+060C 061B 061F  ، ؛ ؟
#   U+0621-063A  Arabic letters hamza … ghain
#   U+0640-0655  tatweel, fa … yeh, harakat, superscript/subscript hamza
#   U+0660-066C  Arabic-Indic digits, ٪ ٫ ٬
#   U+0670       superscript alef
#   U+067E 0686 0698 06A9 06AF 06C0 06CC  پ چ ژ ک گ ۀ ی
#   U+06F0-06F9  Persian digits
#   U+200C-200F  ZWNJ, ZWJ, LRM, RLM
#   U+2010-2014  hyphens and dashes
#   U+2018-201D  quotation marks
#   U+2022 2026  • …
#   U+2039 203A  ‹ ›
#   U+2212       minus sign
UNICODES="U+0020-007E,U+00A0,U+00AB,U+00BB,U+00D7,U+060C,U+061B,U+061F,U+0621-063A,U+0640-0655,\
U+0660-066C,U+0670,U+067E,U+0686,U+0698,U+06A9,U+06AF,U+06C0,U+06CC,U+06F0-06F9,U+200C-200F,\
U+2010-2014,U+2018-201D,U+2022,U+2026,U+2039,U+203A,U+2212"

mkdir -p "$out"
for weight in Regular:400 Bold:700; do
  name="${weight%%:*}"
  number="${weight##*:}"
  # Default layout features keep Arabic shaping (init/medi/fina, rlig, liga, calt, mark, mkmk,
  # kern, …); fractions (frac/numr/dnom) are dropped, the UI never sets them. --no-hinting
  # drops what little TrueType hinting there is.
  "$venv/bin/pyftsubset" "$pkg/fonts/ttf/Vazirmatn-$name.ttf" \
    --unicodes="$UNICODES" \
    --layout-features-=frac,numr,dnom \
    --no-hinting \
    --name-IDs='*' \
    --flavor=woff2 \
    --output-file="$out/vazirmatn-$number.woff2"
  echo "public/fonts/vazirmatn-$number.woff2: $(wc -c <"$out/vazirmatn-$number.woff2") bytes"
done
cp "$pkg/OFL.txt" "$out/OFL.txt"
