#!/usr/bin/env bash
# Builds the browser side for release: the student app into dist/, the request forms (a second
# bundle, so the app's first visit does not carry them) into dist/forms/, served under /forms/, the
# staff area (a fourth, likewise) into dist/staff/, served under /staff/, and kiosk mode (a third,
# loaded by public/register-sw.js only when kiosk mode is on) into dist/kiosk/, without hashes in its file names (the loader names /kiosk/kiosk.js and /kiosk/kiosk_bg.wasm);
# the student app's tools bundle (the pre-check and the one-page tools, loaded after the
# first visit: a smaller first visit) into dist/tools/, served under those routes, from a copy of
# index.html (app/tools.html, written here) that names its own binary;
# then the student app's first pages, prerendered into dist/prerendered/.
# Expects the tools of scripts/tools.sh on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release --offline
# Trunk replaces dist/ as a whole, so the forms are built second, into their own folder.
trunk build app/forms.html --release --offline --dist dist/forms --public-url /forms/
sed -e 's/data-bin="app"/data-bin="tools"/' -e '/rel="copy-dir"/d' app/index.html > app/tools.html
trunk build app/tools.html --release --offline --dist dist/tools --public-url /tools/
trunk build app/staff.html --release --offline --dist dist/staff --public-url /staff/
trunk build app/kiosk.html --release --offline --dist dist/kiosk --public-url /kiosk/ --filehash false
# The student app's first pages prerendered into dist/prerendered/ by the same components (a native
# build with Leptos's server-side rendering: app/src/bin/prerender.rs), compressed like the rest.
cargo run --quiet -p app --no-default-features --features prerender --bin prerender -- dist
node scripts/precompress.mjs dist/prerendered
