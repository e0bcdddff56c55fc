#!/usr/bin/env bash
# Pishkhan's web benchmark (not a test; CI does not run it). Builds the app (every bundle, as
# scripts/build-app.sh does) and an empty Leptos page (bench/empty-app) for release, serves each with
# `pishkhan serve`, and measures in headless Chromium: first contentful paint, largest contentful
# paint, interactive, layout shift and bytes, cold and repeat, under Fast 3G + 4x CPU throttling and
# unthrottled, median of 5 (measure.mjs says exactly how). Prints a table and writes
# bench/web/results.md (the report above its "keeps everything below" line; what follows stays).
#
#   bash bench/web/run.sh            # RUNS=3 bash bench/web/run.sh for a quicker look
#   BEFORE=target/bench-web/before bash bench/web/run.sh   # also an earlier build, in the same run
#   PISHKHAN_BIN=target/debug/pishkhan bash bench/web/run.sh   # a server already built
#
# What the first paint waits for (a Chrome trace of the page's main thread, same throttling):
#
#   node bench/web/trace-paint.mjs --server target/debug/pishkhan --dist dist [--repeat]
#
# The request forms' autosave (cost per change, the IndexedDB save, input latency while typing)
# is measured apart, on dist/ as scripts/build-app.sh builds it (both bundles), by autosave.mjs,
# which writes its own section of results.md:
#
#   bash scripts/build-app.sh && cargo build --release -p server
#   PISHKHAN_BIN=target/release/pishkhan node bench/web/autosave.mjs --runs 5 --out bench/web/results.md
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=../../scripts/tools.sh
source scripts/tools.sh --browser

out="$root/target/bench-web"
mkdir -p "$out"

# The server binary, wherever CARGO_TARGET_DIR puts it.
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
server="${PISHKHAN_BIN:-$target_dir/release/pishkhan}"
if [ -z "${PISHKHAN_BIN:-}" ]; then
  echo "== building the server ($server)"
  cargo build --release --quiet -p server
fi

echo "== building the app (scripts/build-app.sh, every bundle) and copying it to target/bench-web/app"
bash scripts/build-app.sh
rm -rf "$out/app"
cp -a dist "$out/app"

echo "== the app's prerendered start page alone, no script (the first paint's floor) into target/bench-web/static"
rm -rf "$out/static"
mkdir -p "$out/static"
python3 - "$out/app/prerendered/fa/index.html" "$out/static/index.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
html = re.sub(r"<link\b[^>]*>", "", html)
# On a first visit the inline script sets data-fonts-later (a system font until the app is ready).
html, n = re.subn(r"<html\b", "<html data-fonts-later=\"\"", html, count=1)
assert n == 1 and "<script" not in html
open(sys.argv[2], "w", encoding="utf-8").write(html)
PY

echo "== building the empty Leptos page (release) into target/bench-web/empty"
trunk build bench/empty-app/index.html --release --offline --dist "$out/empty"

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "== installing playwright-core (npm, pinned in bench/web/package-lock.json)"
  npm ci --silent --no-audit --no-fund --prefix "$here"
fi

echo "== measuring (${RUNS:-5} runs each)"
node "$here/measure.mjs" \
  --server "$server" \
  --app "$out/app" \
  --empty "$out/empty" \
  ${BEFORE:+--before "$BEFORE"} \
  --static "$out/static" \
  --runs "${RUNS:-5}" \
  --chromium-version "$(/usr/bin/chromium --version 2>/dev/null | head -1)" \
  --out "$here/results.md"
echo "== written bench/web/results.md"
