#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the bench (issue 14), from Debian's
# `postgresql` package (scripts/tools.sh installs it):
#   postgres.sh start DIR   removes whatever cluster DIR holds (stopping it if a killed run left it
#                           running), makes a new one (initdb -A trust), starts it on a free port of
#                           127.0.0.1 and prints its URL: postgres://postgres@127.0.0.1:PORT/postgres
#   postgres.sh stop DIR    stops the cluster in DIR and removes DIR
#   postgres.sh url DIR     prints the URL of the cluster running in DIR
# initdb refuses root: as root the cluster belongs to the package's `postgres` user (DIR is
# chowned to it), otherwise to whoever runs this. Durability stays PostgreSQL's default
# (fsync=on, synchronous_commit=on, written out below): the bench compares durable rates.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
}
[ $# = 2 ] || usage
command="$1"
dir="$(realpath -m "$2")"
data="$dir/data"

# The newest installed version's programs (/usr/lib/postgresql/<version>/bin).
bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
[ -n "$bin" ] || {
  echo "no PostgreSQL found under /usr/lib/postgresql: apt-get install postgresql (scripts/tools.sh)" >&2
  exit 1
}
bin="$(dirname "$bin")"

# Runs a command as the cluster's owner.
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

running() { [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

stop() {
  if running && ! as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
    # A postmaster a killed run left that will not stop is killed (its pid: postmaster.pid's
    # first line); one killed with SIGKILL that nobody reaped (a zombie) only looks running.
    local pid
    pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  stop
  mkdir -p "$dir"
  chown "$owner" "$dir"
  as_owner test -w "$dir" || {
    echo "$owner cannot write $dir (a parent folder it may not enter?)" >&2
    exit 1
  }
  as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  cat >>"$data/postgresql.conf" <<EOF

# scripts/postgres.sh: a throwaway cluster on the loopback interface, durable as by default.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 200
EOF
  # The port is free when picked but may be taken before the server binds it: pick again.
  local attempt port
  for attempt in 1 2 3; do
    port="$(free_port)"
    if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      echo "postgres://postgres@127.0.0.1:$port/postgres" >"$dir/url"
      cat "$dir/url"
      return
    fi
    echo "PostgreSQL did not start on port $port (attempt $attempt):" >&2
    tail -n 5 "$dir/server.log" >&2
  done
  exit 1
}

case "$command" in
  start) start ;;
  stop) stop ;;
  url)
    running || {
      echo "no PostgreSQL running in $dir" >&2
      exit 1
    }
    cat "$dir/url"
    ;;
  *) usage ;;
esac
