#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for bench/server.sh until scripts/postgres.sh (same interface)
# is on this branch; server.sh uses that one when it exists.
#   bench/pg.sh start DIR   a new cluster in DIR (initdb -A trust), started on a free port of
#                           127.0.0.1; prints its URL: postgres://postgres@127.0.0.1:PORT/postgres
#   bench/pg.sh stop DIR    stops it and removes DIR
# As root the cluster runs as the package's `postgres` user (initdb refuses root). Durability is
# PostgreSQL's default, written out: fsync=on, synchronous_commit=on.
set -euo pipefail
[ $# = 2 ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
dir="$(realpath -m "$2")"
data="$dir/data"
bin="$(dirname "$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' | sort -V | tail -n 1)")"
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

stop() {
  if [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
  rm -rf "$dir"
}

case "$1" in
  start)
    stop
    mkdir -p "$dir"
    chown "$owner" "$dir"
    as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 200
CONF
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
