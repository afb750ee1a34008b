#!/bin/sh
# Issue 13's fleet benchmark: 100 simulated hosts (production loop, membership, decider
# candidacy, stub stacks) against a three-server ZooKeeper ensemble in one JVM. Prints the
# time from a fleet decision to every host having applied it (median, p99, max) and
# ZooKeeper's writes per second at steady state. BENCH_HOSTS, BENCH_ROUNDS and
# BENCH_STEADY (seconds) change the size; prints numbers, asserts only that rounds complete.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
./mvnw -B -q surefire:test -Dtest=FleetBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -DargLine="-Xmx1g -Dsun.net.httpserver.maxIdleConnections=2000 -Dbench.hosts=${BENCH_HOSTS:-100} -Dbench.rounds=${BENCH_ROUNDS:-20} -Dbench.steady=${BENCH_STEADY:-30}"
grep '^BENCH' target/surefire-reports/org.regionfailover.coordinate.FleetBenchmark-output.txt
