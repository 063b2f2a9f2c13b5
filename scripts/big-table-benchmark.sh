#!/usr/bin/env bash
# Issue #19, target 5 (big tables): one node of the starter over HTTP on a PostgreSQL table of 10,000,000
# finished executions (benchmarks/.../BigTableBenchmark.java): p50/p99/max of the first page of
# GET /executions alone and with each filter, a page 1,000 deep by cursor and by page number,
# /actuator/health; and the claim rate (a drain of 100,000 no-op tasks, 8 threads) on the empty table and
# on the big one in the same run. A fresh database (bench.databaseName, bgt_bigtable) is created and
# dropped. Needs a PostgreSQL 13+ at 127.0.0.1:5432 where user postgres may CREATE/DROP DATABASE, and
# about 4 GB of disk for 10,000,000 rows (the load takes about 3 minutes).
#
#   scripts/big-table-benchmark.sh                                    # the full size
#   scripts/big-table-benchmark.sh -Dbench.rows=200000 -Dbench.drainRows=20000 -Dbench.runs=50   # a smoke run
#
# Settings (-Dbench.*): rows (10000000), drainRows (100000), runs (200), warmup (10), depth (1000),
# databaseName (bgt_bigtable), keepDatabase (false), postgresUrl, user, password,
# output (benchmarks/results/<date>-issue19-big-tables.md).
# MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -Xms1g -Xmx2g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/big-table-benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.BigTableBenchmark
