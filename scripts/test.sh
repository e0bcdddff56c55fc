#!/usr/bin/env bash
# Runs every test of Pishkhan, installing what is missing first (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh --browser
# Every server this script starts (the browser tests', schemathesis') runs on SQLite; the server's
# tests run on PostgreSQL in a pass of their own below.
unset PISHKHAN_DATABASE

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== building the app and the forms (scripts/build-app.sh: trunk build --release --offline)"
cargo fetch --locked
bash scripts/build-app.sh

echo "== rules crate for wasm32 (the browser target)"
cargo build --locked -p rules --target wasm32-unknown-unknown

# npm ci in $1 when its node_modules is missing or was installed from another package-lock.json.
npm_ci() {
  local lock_sum
  lock_sum="$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$1/node_modules/.package-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
    (cd "$1" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    echo "$lock_sum" > "$1/node_modules/.package-lock.sha256"
  fi
}

echo "== the OpenID provider of the server tests (tests/oidc: oidc-provider)"
npm_ci tests/oidc

# Where cargo puts what it builds (CARGO_TARGET_DIR or target/).
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

# The PostgreSQL of the server's tests: the caller's (PISHKHAN_TEST_DATABASE_URL, a server URL
# whose database is the maintenance one), else a throwaway cluster started for the second pass
# below (scripts/postgres.sh), stopped when this script ends, however it ends.
pg_url="${PISHKHAN_TEST_DATABASE_URL:-}"
pg_dir=target/pg-test
pg_started=
log="$(mktemp)"
tap="$(mktemp)"
st_log="$(mktemp)"
cleanup() {
  rm -f "$log" "$tap" "$st_log"
  if [ -n "$pg_started" ]; then bash scripts/postgres.sh stop "$pg_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== cargo test --workspace"
# PISHKHAN_REQUIRE_APP: the browser smoke test must not skip when the app is built here;
# PISHKHAN_REQUIRE_OIDC: the sign-in tests must not skip for want of node or oidc-provider.
# On SQLite (the data directory's file): without PISHKHAN_TEST_DATABASE_URL.
set +e
env -u PISHKHAN_TEST_DATABASE_URL PISHKHAN_REQUIRE_APP=1 PISHKHAN_REQUIRE_OIDC=1 \
  cargo test --locked --no-fail-fast --workspace --all-targets 2>&1 | tee "$log"
cargo_status=${PIPESTATUS[0]}
set -e

echo "== server integration tests on PostgreSQL"
# The same test bodies again, each data directory's database a fresh PostgreSQL database
# (server/tests/common/mod.rs). Left out: backup.rs (`pishkhan backup` is SQLite's online backup
# of the data directory's file), cli.rs and layers.rs (the rules subcommands and the source's
# layering: no database). Skipped by name: two tests of SQLite's own migration history (a
# database as SQLite's migrations 0006 and 0009 found it; PostgreSQL's schema begins after them).
pg_tests=(app_in_browser auth_api crash filing_api fuzz http instances oidc_api postgres_harness
  bank_gateway reminders requests_api retention secrets signin_api sms_gateway static_files
  uploads_api workflow_api)
pg_skip=(migration_0006_gives_every_existing_request_its_own_random_handle
  an_old_format_database_verifies_after_migration_and_a_broken_one_still_shows)
if [ -z "$pg_url" ]; then
  pg_started=1
  pg_url="$(bash scripts/postgres.sh start "$pg_dir")" || pg_url=
fi
if [ -n "$pg_url" ]; then
  export PISHKHAN_TEST_DATABASE_URL="$pg_url"
  set +e
  PISHKHAN_REQUIRE_APP=1 PISHKHAN_REQUIRE_OIDC=1 \
    cargo test --locked --no-fail-fast -p server "${pg_tests[@]/#/--test=}" -- \
    "${pg_skip[@]/#/--skip=}" 2>&1 | tee -a "$log"
  pg_status=${PIPESTATUS[0]}
  set -e
else
  echo "PostgreSQL did not start (scripts/postgres.sh start $pg_dir)"
  pg_status=1
fi
[ "$pg_status" = 0 ] || cargo_status=$pg_status
set +e

echo "== wasm-bindgen-test (app components in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked -p app --target wasm32-unknown-unknown --test browser --test drafts 2>&1 | tee -a "$log"
wasm_status=${PIPESTATUS[0]}
[ "$wasm_status" = 0 ] || cargo_status=$wasm_status

echo "== schemathesis (scripts/schemathesis.sh: the served OpenAPI document against the server)"
bash scripts/schemathesis.sh 2>&1 | tee "$st_log"
st_status=${PIPESTATUS[0]}
set -e

echo "== browser tests (tests/browser: node --test, Chromium driven by playwright-core)"
# The pishkhan binary that `cargo test` built for the server's integration tests.
npm_ci tests/browser
# calendar.test.mjs reads the .ics files with the icalendar package (PyPI; a parser not ours).
if ! .tools/icalendar-venv/bin/python -c 'import icalendar' >/dev/null 2>&1; then
  python3 -m venv .tools/icalendar-venv && .tools/icalendar-venv/bin/pip install -q 'icalendar>=6,<7'
fi
set +e
(cd tests/browser && PISHKHAN_BIN="$target_dir/debug/pishkhan" PISHKHAN_DIST="$PWD/../../dist" \
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap")
node_status=$?
set -e

# One closing line for the whole run: cargo's "test result:" lines (one per test binary),
# schemathesis' passes (one test each; a run that ends before its summary counts as one failure)
# and node's TAP totals (a cancelled test counts as failed). Non-zero exit if anything failed.
awk -v cargo_status="$cargo_status" -v node_status="$node_status" -v st_status="$st_status" '
  FILENAME == ARGV[1] && /^test result:/ { p += $4; f += $6 }
  FILENAME == ARGV[2] && /^schemathesis: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4; st = 1 }
  FILENAME == ARGV[3] && /^# pass / { p += $3 }
  FILENAME == ARGV[3] && /^# (fail|cancelled) / { f += $3 }
  END {
    if (!st) f += 1
    printf "%d passed, %d failed\n", p, f
    exit (p == 0 || f > 0 || cargo_status != 0 || st_status != 0 || node_status != 0)
  }' "$log" "$st_log" "$tap"
