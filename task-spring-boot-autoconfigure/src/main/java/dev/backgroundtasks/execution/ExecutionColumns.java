package dev.backgroundtasks.execution;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * The columns of {@code bgt_execution} that an insert writes, listed once: every insert statement of
 * every database is built from this list. The first ones come from the {@link NewExecution} and are
 * bound ({@link #BOUND}); the others say in which state the row starts ({@link Start}).
 */
final class ExecutionColumns {

	/**
	 * The columns whose values come from the new execution, with their PostgreSQL array types.
	 */
	static final List<Column> BOUND = List.of(new Column("id", "uuid", NewExecution::id),
			new Column("task_name", "varchar", NewExecution::task),
			new Column("trigger_type", "varchar", (execution) -> execution.trigger().name()),
			new Column("params", "text", NewExecution::params),
			new Column("max_attempts", "int4", NewExecution::maxAttempts),
			new Column("max_concurrency", "int4", NewExecution::maxConcurrency),
			new Column("priority", "int4", NewExecution::priority),
			new Column("dedup_key", "varchar", NewExecution::key), new Column("retry_of", "uuid", NewExecution::retryOf),
			new Column("trace_context", "varchar", NewExecution::traceContext),
			new Column("schedule_id", "varchar", NewExecution::scheduleId),
			new Column("fire_time", "timestamptz", (execution) -> utc(execution.fireTime())),
			new Column("submitted_by", "varchar", NewExecution::submittedBy),
			new Column("partition_key", "varchar", NewExecution::partitionKey),
			new Column("rate_limit", "int4", NewExecution::rateLimit),
			new Column("rate_period_ms", "int8", NewExecution::ratePeriodMillis),
			new Column("after_ids", "text", (execution) -> DependencyRows.format(execution.after())),
			new Column("batch_id", "uuid", NewExecution::batchId));

	/**
	 * The columns that say in which state a row starts, after the bound ones.
	 */
	static final String START = "status, attempt, claim_token, node, created_at, run_at, started_at, lease_until";

	/**
	 * Every column an insert writes, in the order of its values.
	 */
	static final String ALL = BOUND.stream().map(Column::name).collect(Collectors.joining(", ")) + ", " + START;

	private static final String MARKS = String.join(", ", Collections.nCopies(BOUND.size(), "?"));

	private ExecutionColumns() {
	}

	/**
	 * @param name a bound column
	 * @return its position among the {@link #BOUND} values
	 */
	static int index(String name) {
		for (int i = 0; i < BOUND.size(); i++) {
			if (BOUND.get(i).name().equals(name)) {
				return i;
			}
		}
		throw new IllegalArgumentException("No bound column " + name);
	}

	/**
	 * @param start the state the row starts in
	 * @return the values of one row: a mark per bound column, then the start
	 */
	static String row(Start start) {
		return "(" + MARKS + ", " + start.sql() + ")";
	}

	/**
	 * @param start the state the row starts in
	 * @return an insert of one row
	 */
	static String insert(Start start) {
		return "INSERT INTO bgt_execution (" + ALL + ") VALUES " + row(start);
	}

	/**
	 * @param execution the new execution
	 * @return its bound values, in the order of {@link #BOUND}
	 */
	static Object[] values(NewExecution execution) {
		Object[] values = new Object[BOUND.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = BOUND.get(i).value(execution);
		}
		return values;
	}

	private static @Nullable Object utc(@Nullable Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	/**
	 * A column whose value comes from the new execution.
	 *
	 * @param name the column name
	 * @param arrayType the PostgreSQL element type of an array of its values
	 * @param getter reads its value from the new execution
	 */
	record Column(String name, String arrayType, Function<NewExecution, @Nullable Object> getter) {

		@Nullable Object value(NewExecution execution) {
			return this.getter.apply(execution);
		}

	}

	/**
	 * The state a new row starts in, as SQL values of {@link #START} (times in database time).
	 */
	enum Start {

		/** {@code WAITING} for other executions, due now once they succeeded. */
		WAITING_NOW(waiting("CURRENT_TIMESTAMP")),

		/** {@code WAITING} for other executions, due at a bound instant. */
		WAITING_AT(waiting("?")),

		/** {@code WAITING} for other executions, due a bound number of milliseconds from now. */
		WAITING_AFTER(waiting(ExecutionStatements.LEASE)),

		/** {@code READY} and due now. */
		READY_NOW("'" + TaskStatus.READY.name() + "', 0, 0, NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, NULL, NULL"),

		/** {@code READY} and due at a bound instant. */
		READY_AT("'" + TaskStatus.READY.name() + "', 0, 0, NULL, CURRENT_TIMESTAMP, ?, NULL, NULL"),

		/** {@code READY} and due a bound number of milliseconds from now. */
		READY_AFTER("'" + TaskStatus.READY.name() + "', 0, 0, NULL, CURRENT_TIMESTAMP, " + ExecutionStatements.LEASE
				+ ", NULL, NULL"),

		/** {@code RUNNING} on a bound node with its first attempt, leased for a bound number of milliseconds. */
		CLAIMED("'" + TaskStatus.RUNNING.name() + "', 1, 1, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
				+ ExecutionStatements.LEASE);

		private final String values;

		Start(String values) {
			this.values = values;
		}

		private static String waiting(String runAt) {
			return "'" + TaskStatus.WAITING.name() + "', 0, 0, NULL, CURRENT_TIMESTAMP, " + runAt + ", NULL, NULL";
		}

		/**
		 * @return the same start, {@code WAITING} instead of {@code READY}
		 */
		Start waiting() {
			return switch (this) {
				case READY_NOW -> WAITING_NOW;
				case READY_AT -> WAITING_AT;
				case READY_AFTER -> WAITING_AFTER;
				default -> throw new IllegalStateException("No waiting start for " + this);
			};
		}

		/**
		 * @return the SQL values of {@link #START}, with marks where this start binds values
		 */
		String sql() {
			return this.values;
		}

	}

}
