#!/usr/bin/env bash
# What one gateway call costs the server at 16 clients, read off a running bench rather than timed:
#   scripts/gateway-window.sh ROUNDS BUILD[:ENV=VALUE] ...
# Each round runs `tollgate bench --mode gateway --requests 40000` of each build in turn (interleaved) and, during
# 8 s of its first warm-up (non-streamed calls at 16 clients), reads the server's gateway requests (/metrics), its
# CPU time (/proc/PID/stat) and its bytes written (wchar in /proc/PID/io, the database, its WAL and any temporary
# file) and its bytes allocated (/metrics), then stops the bench. BUILD is a folder of `dotnet build -c Release src/Tollgate.Cli -o BUILD`.
set -euo pipefail
rounds=$1; shift
for round in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    build=${spec%%:*}; env=""; [ "$spec" != "$build" ] && env=${spec#*:}
    env $env "$build/tollgate" bench --mode gateway --requests 40000 > /dev/null 2>&1 &
    bench=$!
    server=""
    for _ in $(seq 1 120); do server=$(pgrep -f "$build/tollgate(.dll)? serve" | head -1 || true); [ -n "$server" ] && break; sleep 0.5; done
    url=$(tr '\0' ' ' < "/proc/$server/cmdline" | grep -o "http://[^ ]*")
    calls() { curl -s "$url/metrics" | awk '/^http_requests_received_total/ && /openai/ {s += $2} END {print s + 0}'; }
    allocated() { curl -s "$url/metrics" | awk '/^dotnet_gc_allocated_bytes_total/ {print $2}'; }
    cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
    written() { awk '/^wchar/ {print $2}' "/proc/$server/io"; }
    idle() { awk '/^cpu / {print $5}' /proc/stat; }
    sleep 6
    n1=$(calls); a1=$(allocated); c1=$(cpu); w1=$(written); i1=$(idle)
    sleep 8
    n2=$(calls); a2=$(allocated); c2=$(cpu); w2=$(written); i2=$(idle)
    kill "$bench" 2>/dev/null || true; pkill -f "$build/tollgate" 2>/dev/null || true; wait "$bench" 2>/dev/null || true
    n=$((n2 - n1)); ticks=$(getconf CLK_TCK); cores=$(nproc)
    echo "round $round $spec calls/s=$((n / 8)) server_cpu_us_per_call=$(( (c2 - c1) * 1000000 / ticks / n ))" \
      "bytes_written_per_call=$(( (w2 - w1) / n )) bytes_allocated_per_call=$(awk -v a="$a1" -v b="$a2" -v n="$n" 'BEGIN {printf "%d", (b - a) / n}')" \
      "machine_idle=$(( (i2 - i1) * 100 / (8 * ticks * cores) ))%"
  done
done
