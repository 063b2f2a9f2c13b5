#!/usr/bin/env bash
# Issue #19: the whole performance suite in one command, one benchmark after the other on PostgreSQL at
# 127.0.0.1:5432 (user postgres may CREATE/DROP DATABASE; every benchmark uses fresh databases and drops them):
#   1. scripts/benchmark.sh            ours, plain-JDBC ceilings, db-scheduler and JobRunr: drain, submits
#                                      (single and batch), the inserting-task drain, pickup, heap
#                                      -> benchmarks/RESULTS.md (its generated part)
#   2. scripts/big-table-benchmark.sh  listings, deep pages, health and the claim rate on 10,000,000 rows
#                                      -> benchmarks/results/<date>-issue19-big-tables.md
#   3. scripts/soak-benchmark.sh       30 minutes at 2,000 tasks/s with retention, time series and plot
#                                      -> benchmarks/results/<date>-issue19-soak.{csv,md,svg}
#   4. scripts/event-heap-benchmark.sh the heap with a listener and a stream client, 1,000,000 executions
#                                      -> benchmarks/target/EVENT-HEAP.md
#
#   scripts/performance-suite.sh           # everything at full size (about 90 minutes on 2 cores)
#   scripts/performance-suite.sh --smoke   # every benchmark small (about 12 minutes), reports in
#                                          # benchmarks/target/smoke, RESULTS.md and benchmarks/results untouched
#
# Run it on an idle machine: the figures are ratios within one run, but a busy machine widens every spread.
# MVN_ARGS is passed to Maven (e.g. MVN_ARGS=-o to build offline); other arguments are passed to step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=false
if [[ "${1:-}" == "--smoke" ]]; then
  smoke=true
  shift
fi
export MVN_ARGS="${MVN_ARGS:-}"
step() {
  echo "== $(date -u +%H:%M:%S) $*" >&2
  "$@"
}
if $smoke; then
  out=benchmarks/target/smoke
  mkdir -p "$out"
  step scripts/benchmark.sh -Dbench.targets=ceiling,ours,db_scheduler -Dbench.rows=5000 -Dbench.repetitions=1 \
    -Dbench.pickupSeconds=5 -Dbench.heapRows=50000 -Dbench.insertRows=5000 -Dbench.output="$out/RESULTS.md" "$@"
  step scripts/big-table-benchmark.sh -Dbench.rows=200000 -Dbench.drainRows=20000 -Dbench.runs=50 \
    -Dbench.output="$out/big-tables.md"
  step scripts/soak-benchmark.sh -Dbench.soakSmoke=true -Dbench.soakOutput="$out/soak"
  step scripts/event-heap-benchmark.sh -Dbench.rows=100000 -Dbench.maxLoad=100 -Dbench.output="$out/event-heap.md"
  echo "Smoke reports in $out" >&2
else
  step scripts/benchmark.sh -Dbench.targets=ceiling,ours,db_scheduler,jobrunr "$@"
  step scripts/big-table-benchmark.sh
  # Submitted 10 at a time (submitAll): on 2 cores, single submits at 2,000/s beside their own drain fall
  # behind (1,800/s in a smoke run, 2026-12-07), and the soak measures the steady state, not the submit rate.
  step scripts/soak-benchmark.sh -Dbench.soakSubmitBatch=10
  step scripts/event-heap-benchmark.sh
fi
