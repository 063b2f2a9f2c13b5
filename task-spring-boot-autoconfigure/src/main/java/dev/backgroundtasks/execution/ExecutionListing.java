package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;

/**
 * The statements of one listing of executions, newest first: by id, which is time-ordered (UUIDv7), so
 * the primary key orders the whole table, and a range of creation times is a range of it
 * ({@link ExecutionIds#lowest}).
 * <p>
 * A listing is read in parts, each through an index that suits it, each giving at most the rows a page
 * may need, merged in id order:
 * <ul>
 * <li>by key: the active executions with the key through the unique index of active keys, the
 * finished ones through the index of finished keys. A key picks out a few rows, whatever else is
 * chosen;</li>
 * <li>by task: one part per task through the task index, which keeps each part in id order. The task
 * index leaves out RUNNING rows (a claim adds no entry to it): they are one more part, read through
 * the index of RUNNING rows (they are few: the threads and prefetch of the nodes);</li>
 * <li>otherwise one part, newest first through the primary key.</li>
 * </ul>
 * The other filters (status, submitter, node, trigger, time range) narrow whichever index a part
 * reads: no index of their own, since every index on the table costs each claim and completion an
 * entry. Without a key or a task, they read the primary key newest first until a page is found: quick
 * for common values, long for rare ones on a large table; a time range bounds that read.
 * <p>
 * Statuses, task names, offsets and limits are literals, so that even a generic plan (which
 * PostgreSQL may keep for a statement prepared on a connection) knows them. A bound value cannot prove
 * an index predicate; a generic plan cannot tell a task of a few rows (read through the task index)
 * from one of millions (found soonest through the primary key); and for an unknown limit it expects
 * to return many rows, and reads a whole index to sort it (a first page of READY executions took
 * 240 ms instead of 0.1 ms on 10,000,000 rows). H2 also keeps the first value bound to a limit inside a
 * union for later executions of the same statement. Task names are letters, digits, {@code -} and
 * {@code _}; any other name is bound.
 */
final class ExecutionListing {

	private static final String TABLE = "bgt_execution";

	private static final Pattern LITERAL_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

	private static final ExecutionListing NONE = new ExecutionListing(List.of());

	/** The statuses of the unique index of active keys: {@code bgt_execution_active_key_idx}. */
	private static final List<TaskStatus> ACTIVE = List.of(TaskStatus.READY, TaskStatus.RUNNING);

	/** The statuses of the index of finished keys: {@code bgt_execution_key_idx}. */
	private static final List<TaskStatus> FINISHED = List.of(TaskStatus.SUCCESSFUL, TaskStatus.FAILED,
			TaskStatus.CANCELLED);

	/** The parts of the listing, merged in id order. */
	private final List<Part> parts;

	private ExecutionListing(List<Part> parts) {
		this.parts = parts;
	}

	/**
	 * @param filter what to include
	 * @return the statements of its listing
	 */
	static ExecutionListing of(ExecutionFilter filter) {
		return of(filter, null);
	}

	/**
	 * @param filter what to include
	 * @param before only executions older than this id (a cursor), or {@code null} from the newest. Like
	 * the time range, it bounds the index that each part reads, so a page after it starts where the
	 * cursor is instead of counting rows from the newest
	 * @return the statements of its listing
	 */
	static ExecutionListing of(ExecutionFilter filter, @Nullable UUID before) {
		Set<String> tasks = tasks(filter);
		if (tasks != null && tasks.isEmpty()) {
			return NONE;
		}
		TaskStatus status = filter.status();
		Part narrowing = narrowing(filter);
		narrowing = (before != null) ? narrowing.and(Part.of("id < ?", before)) : narrowing;
		String key = filter.key();
		if (key != null) {
			Part byKey = Part.of("dedup_key = ?", key).and(Part.taskIn(tasks)).and(narrowing);
			if (status != null) {
				return new ExecutionListing(List.of(Part.of(is(status)).and(byKey)));
			}
			return new ExecutionListing(
					List.of(Part.of(isAny(ACTIVE)).and(byKey), Part.of(isAny(FINISHED)).and(byKey)));
		}
		if (tasks == null) {
			return new ExecutionListing(List.of((status != null) ? Part.of(is(status)).and(narrowing) : narrowing));
		}
		List<Part> parts = new ArrayList<>();
		if (status == null || status == TaskStatus.RUNNING) {
			parts.add(Part.taskIn(tasks).and(Part.of(is(TaskStatus.RUNNING))).and(narrowing));
		}
		if (status != TaskStatus.RUNNING) {
			for (String task : tasks) {
				Part settled = Part.taskIn(Set.of(task)).and(Part.of("status <> '" + TaskStatus.RUNNING.name() + "'"));
				parts.add(((status != null) ? settled.and(Part.of(is(status))) : settled).and(narrowing));
			}
		}
		return new ExecutionListing(parts);
	}

	/**
	 * @return the tasks to include, sorted so that one filter is always the same statement; {@code null}
	 * for every task
	 */
	private static @Nullable Set<String> tasks(ExecutionFilter filter) {
		String task = filter.task();
		Set<String> tasks = filter.tasks();
		if (task == null) {
			return (tasks != null) ? new TreeSet<>(tasks) : null;
		}
		return (tasks == null || tasks.contains(task)) ? Set.of(task) : Set.of();
	}

	/**
	 * @return the filters that narrow whichever index a part reads: all but status, task and key
	 */
	private static Part narrowing(ExecutionFilter filter) {
		Part part = Part.of(null);
		part = equal(part, "submitted_by", filter.submittedBy());
		part = equal(part, "node", filter.node());
		part = (filter.batchId() != null) ? part.and(Part.of("batch_id = ?", filter.batchId())) : part;
		TaskTrigger trigger = filter.trigger();
		part = (trigger != null) ? part.and(Part.of("trigger_type = '" + trigger.name() + "'")) : part;
		part = (filter.from() != null) ? part.and(Part.of("id >= ?", ExecutionIds.lowest(filter.from()))) : part;
		return (filter.to() != null) ? part.and(Part.of("id < ?", ExecutionIds.lowest(filter.to()))) : part;
	}

	private static Part equal(Part part, String column, @Nullable String value) {
		return (value != null) ? part.and(Part.of(column + " = ?", value)) : part;
	}

	private static String is(TaskStatus status) {
		return "status = '" + status.name() + "'";
	}

	private static String isAny(List<TaskStatus> statuses) {
		return statuses.stream()
			.map((status) -> "'" + status.name() + "'")
			.collect(Collectors.joining(", ", "status IN (", ")"));
	}

	/**
	 * @return whether the listing matches no execution, so that it needs no statement
	 */
	boolean isEmpty() {
		return this.parts.isEmpty();
	}

	/**
	 * @param offset how many rows come before the page
	 * @param size the most rows to return
	 * @return the statement of a page's rows, all columns, newest first
	 */
	Statement rows(long offset, int size) {
		String page = " ORDER BY id DESC OFFSET " + offset + " ROWS FETCH FIRST " + size + " ROWS ONLY";
		if (this.parts.size() == 1) {
			return new Statement("SELECT * FROM " + TABLE + where(this.parts.get(0)) + page, args());
		}
		return new Statement("SELECT * FROM (" + union("*", " ORDER BY id DESC", offset + size) + ") e" + page, args());
	}

	/**
	 * @return the statement that counts the listing's rows, all of them
	 */
	Statement count() {
		List<String> counts = this.parts.stream().map((part) -> "(SELECT COUNT(*) FROM " + TABLE + where(part) + ")")
			.toList();
		return new Statement("SELECT " + String.join(" + ", counts), args());
	}

	/**
	 * @param limit the most rows to count, at least 1
	 * @return the statement that counts the listing's rows up to {@code limit}, reading no more than that
	 * many from each part
	 */
	Statement count(long limit) {
		String most = " FETCH FIRST " + limit + " ROWS ONLY";
		String rows = (this.parts.size() == 1) ? "SELECT 1 FROM " + TABLE + where(this.parts.get(0))
				: "SELECT 1 FROM (" + union("id", "", limit) + ") e";
		return new Statement("SELECT COUNT(*) FROM (" + rows + most + ") c", args());
	}

	private String union(String columns, String order, long most) {
		List<String> parts = this.parts.stream()
			.map((part) -> "(SELECT " + columns + " FROM " + TABLE + where(part) + order + " FETCH FIRST " + most
					+ " ROWS ONLY)")
			.toList();
		return String.join(" UNION ALL ", parts);
	}

	private List<Object> args() {
		List<Object> args = new ArrayList<>();
		this.parts.forEach((part) -> args.addAll(part.args()));
		return args;
	}

	private static String where(Part part) {
		return (part.condition() != null) ? " WHERE " + part.condition() : "";
	}

	/**
	 * A statement and the values of its parameters, in order.
	 *
	 * @param sql the statement
	 * @param args the values of its parameters
	 */
	record Statement(String sql, List<Object> args) {

		Statement {
			args = List.copyOf(args);
		}

	}

	/**
	 * The conditions of one part, joined with {@code AND}, and the values of their parameters.
	 *
	 * @param condition the conditions, or {@code null} for none
	 * @param args the values of their parameters, in order
	 */
	private record Part(@Nullable String condition, List<Object> args) {

		static Part of(@Nullable String condition, Object... args) {
			return new Part(condition, List.of(args));
		}

		/**
		 * @param tasks task names, or {@code null} for any task
		 * @return the condition that a row is of one of them
		 */
		static Part taskIn(@Nullable Set<String> tasks) {
			if (tasks == null) {
				return Part.of(null);
			}
			List<Object> args = new ArrayList<>();
			List<String> names = new ArrayList<>();
			for (String task : tasks) {
				boolean literal = LITERAL_NAME.matcher(task).matches();
				names.add(literal ? "'" + task + "'" : "?");
				if (!literal) {
					args.add(task);
				}
			}
			String condition = (names.size() == 1) ? "task_name = " + names.get(0)
					: "task_name IN (" + String.join(", ", names) + ")";
			return new Part(condition, args);
		}

		Part and(Part other) {
			if (other.condition == null) {
				return this;
			}
			if (this.condition == null) {
				return other;
			}
			List<Object> args = new ArrayList<>(this.args);
			args.addAll(other.args);
			return new Part(this.condition + " AND " + other.condition, args);
		}

	}

}
