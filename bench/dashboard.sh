#!/usr/bin/env bash
# The dashboard benchmark (issue 16; not a test, CI does not run it): builds the bench for
# release, starts a throwaway PostgreSQL cluster under target/ (scripts/postgres.sh), runs
# bench/src/bin/dashboard_bench.rs on SQLite and PostgreSQL with REQUESTS requests (default a
# million) and writes its figures into bench/dashboard-results.md below the "figures" line. The
# cluster is stopped at the end.
#
#   bash bench/dashboard.sh            # a million requests
#   REQUESTS=20000 bash bench/dashboard.sh   # a quick check
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
echo "== building the bench (release)"
cargo build --release --quiet -p bench --bin dashboard_bench
cluster="$target_dir/bench-postgres"
url="$(bash scripts/postgres.sh start "$cluster")"
trap 'bash scripts/postgres.sh stop "$cluster"' EXIT
PISHKHAN_BENCH_POSTGRES="$url" "$target_dir/release/dashboard_bench" "${REQUESTS:-1000000}" \
  --out bench/dashboard-results.md
echo "== written bench/dashboard-results.md"
