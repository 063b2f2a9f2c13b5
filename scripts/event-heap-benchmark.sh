#!/usr/bin/env bash
# Issue #17, item 10 benchmark: the heap of one node draining 1,000,000 queued no-op tasks on PostgreSQL
# with a TaskExecutionListener bean and one client of the full event stream attached
# (class dev.backgroundtasks.benchmarks.EventHeapBenchmark). Queues the executions in a fresh database
# bgt_eventheap (dropped afterwards), starts a node with the library's defaults, the REST API and its event
# stream, connects the stream client (GET /api/v1/executions/stream, reconnecting with Last-Event-ID), then
# lets the worker go; the node takes the heap after a full GC every 5 s until the database shows every row
# finished, and reports the first, last and largest sample, the events it dropped, the longest its event
# queue grew, the listener's callbacks, what the client received and the drain rate. Before the run it waits
# until the 1-minute load average is under 1.5 (at most 30 min). Needs a PostgreSQL 13+ at 127.0.0.1:5432
# where user postgres may CREATE/DROP DATABASE.
#
#   scripts/event-heap-benchmark.sh                         # 1,000,000 executions (~5 min)
#   scripts/event-heap-benchmark.sh -Dbench.rows=100000 -Dbench.maxLoad=100   # a smoke run
#
# Settings (-Dbench.*): rows (1000000), heapSampleSeconds (5), heapSeconds (900: most time sampled),
# settleSeconds (3), maxLoad (1.5), maxLoadWaitSeconds (1800), postgresUrl, user, password, jvmArgs of the
# node (-Xms1g -Xmx2g -XX:+UseG1GC), output (benchmarks/target/EVENT-HEAP.md), logDir
# (benchmarks/target/bench-logs). Any -Dbackground-tasks.* is passed to the node (e.g.
# -Dbackground-tasks.events.queue-capacity=50000). MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -Xmx512m -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/event-heap-benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.EventHeapBenchmark
