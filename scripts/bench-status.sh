#!/bin/sh
# Measures GET /health against the running supervisor (the launcher as shipped, a real
# supervisord, a local fake cloud, probes every 1 s): latency at a paced 1,000 requests a
# second for a minute, the probe gaps over that minute next to a quiet one, and the most
# it answers unpaced. Needs supervisord (Debian's supervisor). Prints numbers, asserts
# nothing; BENCH_SECONDS and BENCH_RATE change the phase length and the rate.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q test -Dtest=StatusServerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -DargLine="-Dbench.seconds=${BENCH_SECONDS:-60} -Dbench.rate=${BENCH_RATE:-1000}"
grep '^BENCH' target/surefire-reports/org.regionfailover.status.http.StatusServerBenchmark-output.txt
