#!/bin/bash
# One warm-server round of the batch replay (docs/benchmarks.md, eighth and ninth passes): a fresh `tollgate serve` of
# BUILD on PORT, two warm-up replays of the whole trace, then two measured ones (batches of 1,000, 2 clients), each
# printed with events/s, the server's CPU per event (µs), bytes it wrote per event and its peak RSS so far, from /proc.
#   scripts/batch-warm.sh DIR BUILD PORT [POSTGRES]
# BUILD is a folder of `dotnet build -c Release src/Tollgate.Cli -o BUILD`; DIR is emptied first. POSTGRES (a
# Npgsql connection string with Host, Port and Username) runs on a fresh database tgbench_PORT of that cluster instead
# of SQLite in DIR. Interleave builds round by round: the machines are noisy.
set -euo pipefail
DIR=$1 BUILD=$2 PORT=$3 POSTGRES=${4:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVENTS=28185 # events in the bundled Azure trace
STORE=()
if [ -n "$POSTGRES" ]; then
  field() { echo "$POSTGRES" | tr ';' '\n' | sed -n "s/^ *$1 *= *//Ip" | head -1; }
  PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username) PGDATABASE=postgres \
    psql -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS tgbench_$PORT" -c "CREATE DATABASE tgbench_$PORT" > /dev/null
  STORE=(--postgres "$(echo "$POSTGRES" | sed -E 's/(Database|dbname)=[^; ]*//'); Database=tgbench_$PORT")
fi
rm -rf "$DIR"; mkdir -p "$DIR"; cd "$DIR"
"$BUILD/tollgate" serve --urls "http://127.0.0.1:$PORT" "${STORE[@]}" > serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q listening serve.log 2>/dev/null && break; sleep 0.5; done
KEY=$(grep -o 'tg_[0-9a-f_]*' serve.log | head -1)
cd "$ROOT"
for round in 1 2 3 4; do
  cpu1=$(awk '{print $14+$15}' /proc/$SERVER/stat); written1=$(awk '/^wchar/{print $2}' /proc/$SERVER/io)
  out=$("$BUILD/tollgate" replay --server "http://127.0.0.1:$PORT" --key "$KEY" --seed $((round + 100)) --batch-size 1000 --concurrency 2 2>&1 | grep -E "^replay|^check" | tr '\n' ' ')
  cpu2=$(awk '{print $14+$15}' /proc/$SERVER/stat); written2=$(awk '/^wchar/{print $2}' /proc/$SERVER/io)
  if [ "$round" -gt 2 ]; then
    echo "$(echo "$out" | grep -o 'events/s=[0-9]*') cpu_us=$(( (cpu2 - cpu1) * 10000 / EVENTS )) written_per_event=$(( (written2 - written1) / EVENTS )) peak_rss_mb=$(( $(awk '/^VmHWM/{print $2}' /proc/$SERVER/status) / 1024 )) $(echo "$out" | grep -o 'check: ok' || echo 'check: FAILED')"
  fi
done
