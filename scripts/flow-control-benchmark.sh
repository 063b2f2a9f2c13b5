#!/usr/bin/env bash
# Issue #21, item 7 benchmark: what flow control costs (class dev.backgroundtasks.benchmarks.FlowControlBenchmark).
# One node with 8 worker threads on a fresh PostgreSQL database bgt_bench_flow (dropped afterwards): an untimed
# warm-up, then per repetition a drain of 100,000 no-op tasks without limits, the same with
# partitionBy over 100 values and concurrency 2 each, and 25,000 tasks with rate 5000/1s (start span, most
# starts in any second, commits per second). Before the run it waits until the 1-minute load average is
# under bench.maxLoad (1.5; at most 30 min). Needs a PostgreSQL 13+ at 127.0.0.1:5432 where user postgres
# may CREATE/DROP DATABASE.
#
#   scripts/flow-control-benchmark.sh                                     # ~3 minutes
#   scripts/flow-control-benchmark.sh -Dbench.rows=10000 -Dbench.rateRows=10000 -Dbench.repetitions=1  # smoke
#
# Settings (-Dbench.*): rows (100000), partitions (100), rateRows (25000), warmupRows (20000), repetitions (3),
# workerThreads (8), maxLoad, maxLoadWaitSeconds, postgresUrl, user, password, output
# (benchmarks/target/FLOW-CONTROL.md). Any -Dbackground-tasks.* is passed to the node. MVN_ARGS is passed to
# Maven (e.g. MVN_ARGS=-o).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -Xms1g -Xmx2g -XX:+UseG1GC -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/flow-control-benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.FlowControlBenchmark
