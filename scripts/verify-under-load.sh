#!/usr/bin/env bash
# Runs the whole test suite N times in a row with a CPU hog beside it, as CI's shared,
# busy machine would, and prints each run's result and wall time. A test that passes only
# on an idle machine fails here. Not part of `verify`.
#
#   scripts/verify-under-load.sh [RUNS]      (default 5)
#
# Needs stress-ng (Debian: apt-get install -y stress-ng) and what `./mvnw -B verify` needs.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v stress-ng >/dev/null || { echo "needs stress-ng: apt-get install -y stress-ng" >&2; exit 2; }

stress-ng --cpu 2 --timeout 0 --quiet &
hog=$!
trap 'kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null' EXIT

failed=0
for i in $(seq "$runs"); do
  log=$(mktemp /tmp/verify-under-load.XXXXXX.log)
  t0=$(date +%s)
  if ./mvnw -B verify >"$log" 2>&1; then result=green; else result=RED; failed=$((failed + 1)); fi
  t1=$(date +%s)
  tests=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures' "$log" | grep -v ' -- in ' \
    | sed -E 's/^\[[A-Z]+\] //' | paste -sd ';' -)
  echo "run $i/$runs: $result in $((t1 - t0)) s ($tests) log: $log"
done
echo "$((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
