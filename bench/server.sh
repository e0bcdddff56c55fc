#!/usr/bin/env bash
# The server benchmark (issue 14; not a test, CI does not run it): builds the server and the
# bench for release, starts a throwaway PostgreSQL cluster under target/ (scripts/postgres.sh,
# as the tests do), runs bench/src/bin/server_bench.rs (SQLite
# and PostgreSQL, one and two instances, 1/50/200 clients, each beside its engine's raw durable
# insert rate) and writes its report into bench/server-results.md above the "keeps everything
# below" line (earlier figures stay below; a reading written by hand above the line is replaced
# too). The cluster is stopped at the end.
#
#   bash bench/server.sh        # 5 s per run;  SECONDS_PER_RUN=10 bash bench/server.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pg=scripts/postgres.sh

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
echo "== building the server and the bench (release)"
cargo build --release --quiet -p server -p bench

cluster="$target_dir/bench-postgres"
url="$(bash "$pg" start "$cluster")"
trap 'bash "$pg" stop "$cluster"' EXIT
echo "== PostgreSQL at $url"

# The cluster's folder: the one named, or where postgres.sh put it (its `cluster` file).
home="$cluster"
[ -f "$cluster/cluster" ] && home="$(cat "$cluster/cluster")"
PISHKHAN_BENCH_POSTGRES="$url" PISHKHAN_BENCH_POSTGRES_DATA="$home/data" PISHKHAN_BIN="$target_dir/release/pishkhan" \
  "$target_dir/release/server_bench" "${SECONDS_PER_RUN:-5}" --out bench/server-results.md
echo "== written bench/server-results.md"
