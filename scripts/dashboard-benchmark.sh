#!/usr/bin/env bash
# Issue #16 benchmark: the dashboard overview's queries (statusCounts, perMinute, perTask, pickupLatency,
# backlog, live nodes) and the executions page's (ExecutionQueries.slice of 25 and count up to 10,000 for
# each filter alone, a task with a status, and pages 40 deep; the list is benchmarks/.../DashboardQueries.java)
# against the local PostgreSQL holding 1,000,000 and then 10,000,000 finished executions, each size in a
# fresh database bgt_dashbench_<rows> (dropped afterwards), after ANALYZE and again after VACUUM ANALYZE.
# Needs a PostgreSQL 13+ at 127.0.0.1:5432 where user postgres may CREATE/DROP DATABASE, and about 4 GB of
# disk for the larger size.
#
#   scripts/dashboard-benchmark.sh                                   # both sizes (~5 min on 2 cores)
#   scripts/dashboard-benchmark.sh -Dbench.dashboardSizes=100000     # a smoke run
#
# Settings (-Dbench.*): dashboardSizes, dashboardRuns (100, at least 50), dashboardWarmup (5), dashboardTasks
# (20), dashboardNodes (10), dashboardReady (20000), dashboardRunning (200), dashboardStatsMinutes (1440),
# keepDatabase (false), postgresUrl, user, password, output (benchmarks/target/DASHBOARD.md).
# MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -Xms512m -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/dashboard-benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.DashboardBenchmark
