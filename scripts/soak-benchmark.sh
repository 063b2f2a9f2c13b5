#!/usr/bin/env bash
# Issue #19, targets 4 and 6 (the soak): one node on PostgreSQL submits 2,000 tasks a second (open loop,
# single submits from 4 threads) and runs them (8 worker threads; each task upserts one row of a 1,000-row
# table through the app's JdbcTemplate), with retention of successful executions at 2 minutes checked every
# 10 s, for 30 minutes (class dev.backgroundtasks.benchmarks.SoakBenchmark). Every 10 s it samples the rates,
# the pickup p50/p99/max, the longest gap between task starts, the READY backlog, bgt_execution's size with
# its indexes, dead tuples, retention's deletes, the rows of the tables beside it, and (every 60 s) the heap
# after a full GC. Writes benchmarks/results/<date>-issue19-soak.{csv,md,svg}: the time series, the summary
# against ±10 % of each figure's value after the first 5 minutes, and a plot. Uses a fresh database bgt_soak
# (dropped afterwards); needs a PostgreSQL 13+ at 127.0.0.1:5432 where user postgres may CREATE/DROP DATABASE.
# Before a full run it waits until the 1-minute load average is under 1.5 (at most 30 min).
#
#   scripts/soak-benchmark.sh                            # 30 minutes
#   scripts/soak-benchmark.sh -Dbench.soakMinutes=8      # shorter, same 5-minute warm-up
#   scripts/soak-benchmark.sh -Dbench.soakSmoke=true     # smoke: 2 minutes, 30 s warm-up, output in benchmarks/target
#
# Settings (-Dbench.*): soakMinutes (30), soakSmoke (false), soakSeconds (smoke only, 120), soakBaselineSeconds
# (300; smoke 30), soakBaselineSpanSeconds (60; smoke 30), soakRate (2000), soakSubmitThreads (4),
# soakPoolSize (20), soakRetention (2m), soakRetentionInterval (10s), soakSampleSeconds (10), soakHeapSeconds
# (60), soakSubmitBatch (1: single submits; n: submitAll of n), soakVacuumSeconds (60, only when the server's
# autovacuum is off, unless set: the harness then runs VACUUM (ANALYZE) itself), soakVacuumCostDelay (2ms, as
# autovacuum throttles itself; 0 for an unthrottled VACUUM), soakOutput (path without
# extension), maxLoad (1.5), postgresUrl, user, password, jvmArgs of the node
# (-Xms1g -Xmx2g -XX:+UseG1GC), logDir (benchmarks/target/bench-logs). Any -Dbackground-tasks.* is passed to
# the node (e.g. -Dbackground-tasks.retention.batch-size=500). MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -Xmx512m -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/soak-benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.SoakBenchmark
