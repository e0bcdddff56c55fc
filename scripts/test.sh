#!/usr/bin/env bash
# Runs every test of Pishkhan, installing what is missing first (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh --browser

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== building the app (trunk build --release --offline)"
cargo fetch --locked
trunk build --release --offline

echo "== rules crate for wasm32 (the browser target)"
cargo build --locked -p rules --target wasm32-unknown-unknown

echo "== cargo test --workspace"
# PISHKHAN_REQUIRE_APP: the browser smoke test must not skip when the app is built here.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
PISHKHAN_REQUIRE_APP=1 cargo test --locked --workspace --all-targets 2>&1 | tee "$log"

# One closing line for the whole run (cargo prints one per test binary).
awk '/^test result:/ { p += $4; f += $6 } END { printf "%d passed, %d failed\n", p, f; exit (p == 0 || f > 0) }' "$log"
