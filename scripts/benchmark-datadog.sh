#!/bin/sh
# Measures the Datadog shipper's throughput against a local WireMock intake and prints it.
# Not part of `verify`: a number, not a pass/fail.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q test -Dtest=ShipperThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
grep '^BENCH' target/surefire-reports/org.regionfailover.report.datadog.ShipperThroughputBenchmark-output.txt
