/**
 * Throughput and latency harness for issue #4: ours, db-scheduler, JobRunr and a plain-JDBC ceiling, each
 * target in its own JVM, on PostgreSQL or (issue #18) MariaDB: {@link dev.backgroundtasks.benchmarks.DatabaseServer}
 * is the suite's side of a database, {@link dev.backgroundtasks.benchmarks.BenchDatabase} the child JVMs'. {@link dev.backgroundtasks.benchmarks.BenchmarkSuite} orchestrates; the other
 * {@code *Benchmark} classes are the per-target child mains, except
 * {@link dev.backgroundtasks.benchmarks.DashboardBenchmark}, which times the dashboard's queries on large
 * tables (issue #16) on its own ({@code scripts/dashboard-benchmark.sh}), and
 * {@link dev.backgroundtasks.benchmarks.DashboardDrainBenchmark}, which drains with the dashboard closed and
 * open (issue #16, {@code scripts/dashboard-drain-benchmark.sh}; its child main is
 * {@link dev.backgroundtasks.benchmarks.DashboardDrainNode}).
 */
@NullMarked
package dev.backgroundtasks.benchmarks;

import org.jspecify.annotations.NullMarked;
