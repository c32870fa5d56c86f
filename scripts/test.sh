#!/usr/bin/env bash
# Runs every Tollgate test on a fresh machine: starts PostgreSQL (scripts/postgres.sh), installs Chromium
# (scripts/chromium.sh), builds (the benchmarks too), tests.
# Extra arguments go to `dotnet test` (for example: --filter FullyQualifiedName~Rating).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh

# `dotnet test` builds only the test projects and what they reference: the benchmarks are built here so that they
# cannot fall behind the code they measure unnoticed.
dotnet build bench/Tollgate.Benchmarks --nologo -v q

log="$(mktemp)"
status=0
dotnet test Tollgate.slnx --nologo "$@" 2>&1 | tee "$log" || status=$?

# One closing line for CI: "N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit "$status"
