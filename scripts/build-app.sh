#!/usr/bin/env bash
# Builds the browser side for release: the student app into dist/ and the request forms (a second
# bundle, so the app's first visit does not carry them) into dist/forms/, served under /forms/.
# Expects the tools of scripts/tools.sh on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release --offline
# Trunk replaces dist/ as a whole, so the forms are built second, into their own folder.
trunk build app/forms.html --release --offline --dist dist/forms --public-url /forms/
