#!/usr/bin/env bash
# Pishkhan's web benchmark (not a test; CI does not run it). Builds the student app and an empty
# Leptos page (bench/empty-app) for release, serves each with `pishkhan serve`, and measures in
# headless Chromium: the bytes of a first visit, and cold and warm load-to-interactive under 4x CPU
# throttling and Fast 3G, median of 5 (measure.mjs says exactly how). Prints a table and writes
# bench/web/results.md (the report above its "keeps everything below" line; what follows stays).
#
#   bash bench/web/run.sh            # RUNS=3 bash bench/web/run.sh for a quicker look
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
echo "== building the server ($target_dir/release/pishkhan)"
cargo build --release --quiet -p server

echo "== building the student app (release) into target/bench-web/app"
trunk build app/index.html --release --offline --dist "$out/app"

echo "== building the empty Leptos page (release) into target/bench-web/empty"
trunk build bench/empty-app/index.html --release --offline --dist "$out/empty"

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "== installing playwright-core (npm, pinned in bench/web/package-lock.json)"
  npm ci --silent --no-audit --no-fund --prefix "$here"
fi

echo "== measuring (${RUNS:-5} runs each)"
node "$here/measure.mjs" \
  --server "$target_dir/release/pishkhan" \
  --app "$out/app" \
  --empty "$out/empty" \
  --runs "${RUNS:-5}" \
  --chromium-version "$(/usr/bin/chromium --version 2>/dev/null | head -1)" \
  --out "$here/results.md"
echo "== written bench/web/results.md"
