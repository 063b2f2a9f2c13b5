#!/usr/bin/env bash
# Issue #4 benchmark: ours, db-scheduler 16.12.0, JobRunr 8.7.0 and a plain-JDBC ceiling against the local
# PostgreSQL, then benchmarks/RESULTS.md. Needs a PostgreSQL 13+ at 127.0.0.1:5432 where user postgres may
# CREATE/DROP DATABASE (databases are named bgt_bench_* and dropped afterwards).
# With -Dbench.database=mariadb (issue #18): ceiling, ours and db-scheduler against the MariaDB 10.7+ at
# 127.0.0.1:3306 (user root, -Dbench.mariadbUrl, -Dbench.user), then benchmarks/target/RESULTS-mariadb.md.
#
#   scripts/benchmark.sh                                  # full run (~35 min, ~3 of them the 1,000,000-row heap run)
#   scripts/benchmark.sh -Dbench.rows=5000 -Dbench.repetitions=1 -Dbench.pickupSeconds=5 \
#       -Dbench.heapRows=50000 -Dbench.output=benchmarks/target/RESULTS-smoke.md  # smoke run (~4 min)
#   scripts/benchmark.sh -Dbench.database=mariadb         # MariaDB comparison
#
# Any -Dbench.* (see benchmarks/README in the main README's "Benchmarks" section) or -Dbackground-tasks.*
# argument is passed to the suite and to every child JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  "-Dbench.command=scripts/benchmark.sh${*:+ $*}" "$@" dev.backgroundtasks.benchmarks.BenchmarkSuite
