#!/bin/bash
# What each layer of a request costs the server (docs/benchmarks.md, eleventh pass): a fresh `tollgate serve` of each
# BUILD on SQLite, a tenant with credits, then wrk (Debian's package) on a ladder of endpoints, each adding a layer:
#   healthz (HTTP alone), balances (+ the key check and one read), quote (+ parsing, the tenant, rating),
#   events (+ recording, group-committed), batch-1/8/64 (a batch of that many events per request; batches of up to
#   100 events share commits as single events do).
# Printed per step: requests/s, the server's CPU per request and per event (µs, from /proc), the bytes it allocated
# (dotnet_gc_allocated_bytes_total) and wrote (/proc/PID/io) per request. Builds are interleaved round by round.
#   scripts/endpoint-ladder.sh ROUNDS CONNECTIONS BUILD...   (BUILD: a folder of `dotnet build -c Release src/Tollgate.Cli -o BUILD`)
set -euo pipefail
ROUNDS=$1 CONNS=$2; shift 2
PORT=${PORT:-5190}; URL=http://127.0.0.1:$PORT
WORK=$(mktemp -d); trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER=
lua() { # lua FILE KEY EVENTS_PER_REQUEST|0 (0: one event, not in a batch; -1: a GET)
  cat > "$1" <<LUA
counter = 0
wrk.headers["Authorization"] = "Bearer $2"
wrk.headers["Content-Type"] = "application/json"
local function event()
  counter = counter + 1
  return string.format('{"id":"l%d-%d-%d","tenant":"ladder","time":"2026-12-04T20:00:00Z","type":"llm_text","model":"GPT-4o-mini-128k","usage":{"input_tokens":1200,"output_tokens":300}}', math.random(1, 1e9), os.time(), counter)
end
request = function()
  if $3 < 0 then return wrk.format("GET", wrk.path) end
  if $3 == 0 then return wrk.format("POST", wrk.path, nil, event()) end
  local events = {}
  for i = 1, $3 do events[i] = event() end
  return wrk.format("POST", wrk.path, nil, '{"events":[' .. table.concat(events, ",") .. ']}')
end
LUA
}
metric() { curl -s "$URL/metrics" -H "Authorization: Bearer $KEY" | awk -v m="$1" '$1 == m {print $2}'; }
for round in $(seq 1 "$ROUNDS"); do
  for BUILD in "$@"; do
    rm -rf "$WORK/data"; mkdir -p "$WORK/data"; cd "$WORK/data"
    "$BUILD/tollgate" serve --urls "$URL" > serve.log 2>&1 &
    SERVER=$!
    for _ in $(seq 1 60); do grep -q listening serve.log 2>/dev/null && break; sleep 0.5; done
    KEY=$(grep -o 'tg_[0-9a-f_]*' serve.log | head -1)
    curl -sf -X POST "$URL/v1/tenants" -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"id":"ladder"}' > /dev/null
    curl -sf -X POST "$URL/v1/tenants/ladder/topups" -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"id":"t1","kind":"recharge","unit":"credits","amount":"1000000000"}' > /dev/null
    for step in healthz:-1:/healthz balances:-1:/v1/tenants/ladder/balances quote:0:/v1/events/quote events:0:/v1/events batch-1:1:/v1/events/batch batch-8:8:/v1/events/batch batch-64:64:/v1/events/batch; do
      IFS=: read -r name per path <<< "$step"
      lua "$WORK/step.lua" "$KEY" "$per"
      wrk -t1 -c"$CONNS" -d2s -s "$WORK/step.lua" "$URL$path" > /dev/null # warm-up
      cpu1=$(awk '{print $14+$15}' /proc/$SERVER/stat); written1=$(awk '/^wchar/{print $2}' /proc/$SERVER/io); alloc1=$(metric dotnet_gc_allocated_bytes_total)
      out=$(wrk -t1 -c"$CONNS" -d5s -s "$WORK/step.lua" "$URL$path")
      cpu2=$(awk '{print $14+$15}' /proc/$SERVER/stat); written2=$(awk '/^wchar/{print $2}' /proc/$SERVER/io); alloc2=$(metric dotnet_gc_allocated_bytes_total)
      n=$(echo "$out" | awk '/requests in/{print $1}'); bad=$(echo "$out" | awk '/Non-2xx/{print $5}')
      events=$(( per > 0 ? per : 1 ))
      echo "ladder build=$(basename "$BUILD") round=$round connections=$CONNS step=$name requests/s=$(echo "$out" | awk '/Requests\/sec/{printf "%d", $2}') cpu_us_per_request=$(( (cpu2 - cpu1) * 10000 / n )) cpu_us_per_event=$(( (cpu2 - cpu1) * 10000 / n / events )) alloc_kb_per_request=$(awk -v a="$alloc1" -v b="$alloc2" -v n="$n" 'BEGIN{printf "%.1f", (b - a) / n / 1024}') written_kb_per_request=$(( (written2 - written1) / n / 1024 )) non_2xx=${bad:-0}"
    done
    kill $SERVER; wait $SERVER 2>/dev/null || true
  done
done
