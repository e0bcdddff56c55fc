#!/usr/bin/env bash
# Installs, only when missing, what building and testing Pishkhan needs; sourced by the other
# scripts. Everything comes from crates.io, npm or Debian (see shared/toolchain.md).
#   tools.sh            build tools: wasm32 target, Trunk, wasm-bindgen-cli, wasm-opt
#   tools.sh --browser  also Chromium, ChromeDriver and sqlite3 (the browser tests drive the app and
#                       read the server's database) and PostgreSQL (the test command runs the
#                       server's tests on it too, in a cluster of scripts/postgres.sh)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# wasm-bindgen-cli must match the wasm-bindgen crate the app links.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' "$root/Cargo.lock")"
grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" "$root/Trunk.toml" || {
  echo "Trunk.toml's wasm_bindgen must be $WASM_BINDGEN_VERSION (the version in Cargo.lock)" >&2
  exit 1
}

# A quick release build of the tools themselves: they are not what we ship.
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "== installing the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  echo "== installing Trunk $TRUNK_VERSION (several minutes, once)"
  fast_install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  echo "== installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its lockfile wants a webpki-roots version the registry lacks.
  fast_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
  echo "== installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
  npm install --silent --no-audit --no-fund --prefix "$root/.tools" "binaryen@$BINARYEN_VERSION"
fi

if [ "${1:-}" = "--browser" ]; then
  debian=()
  [ -x /usr/bin/chromium ] || debian+=(chromium)
  [ -x /usr/bin/chromedriver ] || debian+=(chromium-driver)
  [ -x /usr/bin/sqlite3 ] || debian+=(sqlite3)
  # Any version: scripts/postgres.sh takes the newest /usr/lib/postgresql/<version>/bin.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || debian+=(postgresql)
  if [ ${#debian[@]} -gt 0 ]; then
    echo "== installing ${debian[*]} from Debian"
    sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_if apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if apt-get install -y -qq "${debian[@]}" >/dev/null
  fi
fi
