#!/bin/sh
# Measures how fast `replay` goes through a year of probes at the default cadence (3.15 M
# chain probes every 10 s, as many direct ones) and prints probes per second: the decide
# part alone, and end to end from JSON lines. Not part of `verify`: a number, not a
# pass/fail. The target is 2 M probes/s (a year of 10 s probes in under 2 s).
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q test -Dtest=ReplayThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
grep '^BENCH' target/surefire-reports/org.regionfailover.replay.ReplayThroughputBenchmark-output.txt
