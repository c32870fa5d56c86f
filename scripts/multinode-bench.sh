#!/usr/bin/env bash
# Throughput of 1, 2, 3 ... Tollgate processes on one PostgreSQL (issue 13, docs/scaling.md): for each count N, a new
# schema, N `tollgate serve` processes on it, and N replays of the whole committed Azure trace at once (batches of
# 1,000, 2 clients each, distinct tenants), each ending with `--check` against the offline rating.
#   dotnet build -c Release src/Tollgate.Cli -o /tmp/rel
#   PGHOST=127.0.0.1 PGPORT=55432 PGUSER=postgres PGDATABASE=postgres TOLLGATE_BIN=/tmp/rel/tollgate bash scripts/multinode-bench.sh 1 2 3
set -euo pipefail
T="${TOLLGATE_BIN:?set TOLLGATE_BIN to a Release build of tollgate}"
PSQL="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql"
key=tg_multinode_bench_key_0123456789ab
logs="$(mktemp -d)"
counts=("$@")
[ "${#counts[@]}" -gt 0 ] || counts=(1 2 3)
for N in "${counts[@]}"; do
  schema="multinode_${N}_$(date +%s)"
  "$PSQL" -q -c "CREATE SCHEMA $schema"
  cs="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=$PGDATABASE;SearchPath=$schema"
  servers=()
  for i in $(seq 1 "$N"); do
    folder="$(mktemp -d)"
    (cd "$folder" && exec "$T" serve --urls "http://127.0.0.1:$((5110 + i))" --postgres "$cs" --bootstrap-key "$key" > serve.log 2>&1) &
    servers+=($!)
    sleep 3 # one after another: the first migrates the schema
  done
  start=$(date +%s.%N)
  replays=()
  for i in $(seq 1 "$N"); do
    "$T" replay --server "http://127.0.0.1:$((5110 + i))" --key "$key" --seed $((20 + i)) --run "mn$N-$i-$(date +%s)" \
      --batch-size 1000 --concurrency 2 --check > "$logs/$N-$i.log" 2>&1 &
    replays+=($!)
  done
  status=0
  wait "${replays[@]}" || status=$?
  end=$(date +%s.%N)
  kill "${servers[@]}" 2>/dev/null || true
  wait "${servers[@]}" 2>/dev/null || true
  events=$((N * 28185))
  echo "processes=$N events=$events seconds=$(echo "$end - $start" | bc) events/s=$(echo "$events / ($end - $start)" | bc)" \
    "load=$(cut -d' ' -f1 /proc/loadavg) $(grep -h -o 'check: [a-z]*' "$logs/$N"-*.log | sort | uniq -c | tr -s ' \n' ' ')"
  [ "$status" -eq 0 ] || { echo "a replay failed: see $logs"; exit 1; }
done
