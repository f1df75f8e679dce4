#!/usr/bin/env bash
# Project-local PostgreSQL cluster: scripts/pg.sh start|stop|status.
# Does nothing when PGHOST names an existing server (then PGPORT/PGUSER/PGPASSWORD are used as given).
set -euo pipefail
source "$(dirname "$0")/env.sh"
[ "$PG_EXTERNAL" = 1 ] && { [ "${1:-}" = start ] && say "using PostgreSQL at $DB_HOST:$DB_PORT (PGHOST)"; exit 0; }
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found; run scripts/bootstrap.sh or apt-get install postgresql"

# initdb/postgres refuse to run as root: as root, run them as the `postgres` OS user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user; apt-get install postgresql"
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}
running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

case "${1:-}" in
  start)
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
      runuser -u postgres -- test -x "$PG_DIR" || die "user 'postgres' cannot enter $PG_DIR; set STORE_RUN_DIR to a folder it can reach"
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      say "creating PostgreSQL cluster in $PG_DATA"
      mkdir -p "$PG_DATA" "$PG_SOCK"
      [ "$(id -u)" = 0 ] && chown postgres: "$PG_DATA" "$PG_SOCK"
      as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
      cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$PG_SOCK'
fsync = off                     # a development/test cluster: speed over durability
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 200
CONF
    fi
    if ! running; then
      if (exec 3<>"/dev/tcp/127.0.0.1/$DB_PORT") 2>/dev/null; then
        die "port $DB_PORT is taken by another server; set STORE_PG_PORT to a free port (or PGHOST to use that server)"
      fi
      as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null \
        || { tail -20 "$PG_DATA/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    # Odoo refuses the `postgres` role: make a dedicated superuser.
    psql_="$PG_BIN/psql -h 127.0.0.1 -p $DB_PORT -U postgres -d postgres -qtA"
    if [ "$($psql_ -c "select 1 from pg_roles where rolname='$DB_USER'")" != 1 ]; then
      $psql_ -c "create role $DB_USER login superuser" >/dev/null
    fi
    say "PostgreSQL running on 127.0.0.1:$DB_PORT (data: $PG_DATA)"
    ;;
  stop)
    if running; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; say "PostgreSQL stopped"; fi
    ;;
  status)
    running && echo "running on 127.0.0.1:$DB_PORT" || echo "stopped"
    ;;
  *) die "usage: scripts/pg.sh start|stop|status" ;;
esac
