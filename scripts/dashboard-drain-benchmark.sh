#!/usr/bin/env bash
# Issue #16 benchmark: a drain of queued no-op tasks on PostgreSQL with the dashboard closed and open
# (class dev.backgroundtasks.benchmarks.DashboardDrainBenchmark). Each run queues 50,000 + 200,000
# executions in a fresh database bgt_dashdrain_<n> (dropped afterwards), starts a node with the REST API,
# its event stream and the dashboard, connects the clients of the mode, then lets the worker go; the
# 50,000 run untimed, the 200,000 after them are timed. Modes (-Dbench.dashboardModes):
#   closed     no client
#   dashboard  an open dashboard: GET /api/v1/executions/stream?summary=true, plus a GET of
#              /background-tasks/executions every second and of /background-tasks every 5 s
#   full       one client of the full event stream, GET /api/v1/executions/stream
#   stream     the summary stream alone;  pages  the page GETs alone (to tell the costs apart)
# Runs alternate (each repetition rotates the modes); before each run it waits until the 1-minute load
# average is under 1.5 (at most 30 min). Needs a PostgreSQL 13+ at 127.0.0.1:5432 where user postgres may
# CREATE/DROP DATABASE, on this machine (the backends' CPU is read from /proc).
#
#   scripts/dashboard-drain-benchmark.sh                      # closed, dashboard, full; 3 each (~15 min)
#   scripts/dashboard-drain-benchmark.sh -Dbench.dashboardModes=closed,dashboard,stream,pages
#   scripts/dashboard-drain-benchmark.sh -Dbench.rows=20000 -Dbench.drainWarmupRows=5000 \
#       -Dbench.repetitions=1 -Dbench.maxLoad=100             # a smoke run (~4 min)
#
# Settings (-Dbench.*): rows (200000), drainWarmupRows (50000), dashboardModes (closed,dashboard,full),
# repetitions (3), settleSeconds (3: clients connected before the drain starts), maxLoad (1.5),
# maxLoadWaitSeconds (1800), postgresUrl, user, password, jvmArgs of the node (-Xms1g -Xmx2g -XX:+UseG1GC),
# output (benchmarks/target/DASHBOARD-DRAIN.md), logDir (benchmarks/target/bench-logs).
# MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o to build offline). Nothing is installed into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -Xmx512m -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/dashboard-drain-benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.DashboardDrainBenchmark
