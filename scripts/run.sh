#!/usr/bin/env bash
# Builds the app and the server and starts Pishkhan on http://127.0.0.1:8080 (the README's run
# command) with the demo staff users (README, "Demo users"), the sandbox payment gateway (a
# test payment; never in production) and the development SMS log (data/sms.log). Stop it with
# Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

bash scripts/build-app.sh
cargo build --locked --release -p server
exec target/release/pishkhan serve --addr "${PISHKHAN_ADDR:-127.0.0.1:8080}" --dist dist --demo-users --payment-gateway sandbox --sms-log
