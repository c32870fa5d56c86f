#!/usr/bin/env bash
# Sourced by scripts/test.sh. Makes a PostgreSQL server available to the tests:
# - when TOLLGATE_TEST_POSTGRES is already set (a connection string), it is used as it is;
# - otherwise Debian's postgresql package is installed if missing, and a throwaway cluster is started on a
#   loopback port, to be stopped (and deleted) when the calling script exits.

if [ -n "${TOLLGATE_TEST_POSTGRES:-}" ]; then
  echo "postgres: using TOLLGATE_TEST_POSTGRES from the environment"
  return 0 2>/dev/null || exit 0
fi

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ]; then
  echo "postgres: installing Debian's postgresql package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

PG_BIN="$(pg_bin)"
PG_PORT="${TOLLGATE_TEST_POSTGRES_PORT:-55432}"
PG_DIR="$(mktemp -d /tmp/tollgate-pg.XXXXXX)"
chmod 755 "$PG_DIR"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$PG_DIR"; su postgres -c "$*"; else sh -c "$*"; fi
}
# A cluster left running by an interrupted earlier run would hold the port: stop it first.
for old in /tmp/tollgate-pg.*/data; do
  [ -f "$old/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl -D $old -m immediate stop" >/dev/null 2>&1 || true
done
as_pg "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres" >/dev/null
as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=on' -l $PG_DIR/log -w start" >/dev/null
export TOLLGATE_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export TOLLGATE_TEST_PG_BIN="$PG_BIN" TOLLGATE_TEST_PG_DATA="$PG_DIR/data"
echo "postgres: started $("$PG_BIN/postgres" --version) on 127.0.0.1:$PG_PORT"

stop_postgres() {
  as_pg "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_postgres EXIT
