package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskStatus;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.support.TransactionOperations;

/**
 * Reads executions through JPA and turns the {@link TaskExecution} entity into the public
 * {@link Execution} record, parsing its JSON text. Attempts are read with JDBC, on the connection of the
 * same transaction ({@link AttemptHistory}).
 */
public class JpaExecutionQueries implements ExecutionQueries {

	private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {
	};

	private final EntityManager entityManager;

	private final TransactionOperations readOnlyTransactions;

	private final JsonMapper mapper;

	/**
	 * @param entityManager a shared, transaction-aware entity manager
	 * @param readOnlyTransactions read-only transactions to read in
	 * @param mapper the mapper for params and results
	 */
	public JpaExecutionQueries(EntityManager entityManager, TransactionOperations readOnlyTransactions,
			JsonMapper mapper) {
		this.entityManager = entityManager;
		this.readOnlyTransactions = readOnlyTransactions;
		// Decimals keep their scale and precision: 3215.00 stays 3215.00, not the double 3215.0.
		this.mapper = mapper.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
	}

	@Override
	public Optional<Execution> find(UUID id) {
		return this.readOnlyTransactions
			.execute((status) -> Optional.ofNullable(this.entityManager.find(TaskExecution.class, id)).map(this::toExecution));
	}

	@Override
	public List<ExecutionAttempt> attempts(UUID id) {
		// bgt_attempt has no entity: an entity would be validated against the schema too.
		List<ExecutionAttempt> attempts = this.readOnlyTransactions.execute((status) -> this.entityManager
			.unwrap(Session.class)
			.doReturningWork((connection) -> AttemptHistory.read(connection, id)));
		return (attempts != null) ? attempts : List.of();
	}

	@Override
	public ExecutionPage page(ExecutionFilter filter, int page, int size) {
		long offset = Math.multiplyExact((long) page, size);
		Listing listing = Listing.of(filter);
		ExecutionPage result = this.readOnlyTransactions.execute((status) -> {
			List<Execution> content = list(listing.rows(offset + size), listing.args(offset, size));
			Number total = (Number) bind(this.entityManager.createNativeQuery(listing.count()), listing.args())
				.getSingleResult();
			return new ExecutionPage(content, page, size, total.longValue(),
					(int) ((total.longValue() + size - 1) / size));
		});
		return (result != null) ? result : new ExecutionPage(List.of(), page, size, 0, 0);
	}

	@Override
	public Optional<Execution> latest(String task) {
		Listing listing = Listing.of(new ExecutionFilter(task, null));
		List<Execution> latest = this.readOnlyTransactions
			.execute((status) -> list(listing.rows(1), listing.args(0, 1)));
		return (latest != null) ? latest.stream().findFirst() : Optional.empty();
	}

	private List<Execution> list(String sql, Object[] args) {
		@SuppressWarnings("unchecked")
		List<TaskExecution> rows = bind(this.entityManager.createNativeQuery(sql, TaskExecution.class), args)
			.getResultList();
		return rows.stream().map(this::toExecution).toList();
	}

	private static Query bind(Query query, Object[] args) {
		for (int i = 0; i < args.length; i++) {
			query.setParameter(i + 1, args[i]);
		}
		return query;
	}

	/**
	 * The statements of one listing, newest first: by id, which is time-ordered (UUIDv7), so the primary
	 * key orders the whole table. Executions of one task are found through the task index, which leaves
	 * out RUNNING rows (a claim adds no entry to it); those are few (the threads and prefetch of the
	 * nodes) and are read through the index of RUNNING rows. Statuses are literals where an index
	 * predicate must be matched: a bound value cannot prove it in a generic plan.
	 *
	 * @param rowsFormat the rows of a page, with the filters' parameters, then the offset and the page size;
	 * {@code %d} is how many rows the part read through the task index may give, a literal: H2 keeps the
	 * first value bound to a limit inside a union for later executions of the same statement
	 * @param count how many rows the listing has in all, with the filters' parameters
	 * @param filters the values of the filters' parameters
	 */
	private record Listing(String rowsFormat, String count, List<Object> filters) {

		private static final String RUNNING = "status = '" + TaskStatus.RUNNING.name() + "'";

		private static final String SETTLED = "status <> '" + TaskStatus.RUNNING.name() + "'";

		private static final String PAGE = " ORDER BY id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY";

		static Listing of(ExecutionFilter filter) {
			String task = filter.task();
			TaskStatus status = filter.status();
			String by = filter.submittedBy();
			// The submitter narrows whatever else is chosen.
			String byCondition = (by != null) ? " AND submitted_by = ?" : "";
			List<Object> byArgs = (by != null) ? List.of(by) : List.of();
			if (task == null) {
				return (status != null) ? where("status = ?" + byCondition, args(List.of(status.name()), byArgs))
						: where((by != null) ? "submitted_by = ?" : null, byArgs);
			}
			if (status == TaskStatus.RUNNING) {
				return where("task_name = ? AND " + RUNNING + byCondition, args(List.of(task), byArgs));
			}
			if (status != null) {
				return where("task_name = ? AND " + SETTLED + " AND status = ?" + byCondition,
						args(List.of(task, status.name()), byArgs));
			}
			String running = "FROM bgt_execution WHERE task_name = ? AND " + RUNNING + byCondition;
			String settled = "FROM bgt_execution WHERE task_name = ? AND " + SETTLED + byCondition;
			List<Object> one = args(List.of(task), byArgs);
			return new Listing("SELECT * FROM ((SELECT * " + running + ") UNION ALL (SELECT * " + settled
					+ " ORDER BY id DESC FETCH FIRST %d ROWS ONLY)) e" + PAGE,
					"SELECT (SELECT COUNT(*) " + running + ") + (SELECT COUNT(*) " + settled + ")", args(one, one));
		}

		private static List<Object> args(List<Object> first, List<Object> second) {
			List<Object> all = new ArrayList<>(first);
			all.addAll(second);
			return all;
		}

		private static Listing where(@Nullable String condition, List<Object> filters) {
			String where = (condition != null) ? " WHERE " + condition : "";
			return new Listing("SELECT * FROM bgt_execution" + where + PAGE, "SELECT COUNT(*) FROM bgt_execution" + where,
					filters);
		}

		Object[] args() {
			return this.filters.toArray();
		}

		/**
		 * @param most how many rows of the part read through the task index a page may need
		 * @return the statement of a page's rows
		 */
		String rows(long most) {
			return this.rowsFormat.replace("%d", Long.toString(most));
		}

		Object[] args(long offset, int size) {
			List<Object> args = new ArrayList<>(this.filters);
			args.add(offset);
			args.add(size);
			return args.toArray();
		}

	}

	private Execution toExecution(TaskExecution entity) {
		// Detached at once: a later read in the same transaction must see changes made through JDBC.
		this.entityManager.detach(entity);
		String errorType = entity.getErrorType();
		ExecutionError error = (errorType != null) ? new ExecutionError(errorType, entity.getErrorMessage(),
				(entity.getErrorStackTrace() != null) ? entity.getErrorStackTrace() : "") : null;
		return new Execution(entity.getId(), entity.getTaskName(), entity.getStatus(), entity.getTrigger(),
				this.mapper.readValue(entity.getParams(), PARAMS), parse(entity.getResult()), error, entity.getAttempt(),
				entity.getMaxAttempts(), entity.getPriority(), entity.getDedupKey(), progress(entity), entity.getCreatedAt(),
				entity.getRunAt(), entity.getStartedAt(), entity.getFinishedAt(), entity.getNode(),
				entity.isCancelRequested(), entity.getRetryOf(), entity.getSubmittedBy(), entity.getCancelledBy());
	}

	private static @Nullable ExecutionProgress progress(TaskExecution entity) {
		Long current = entity.getProgressCurrent();
		if (current == null) {
			return null;
		}
		Long total = entity.getProgressTotal();
		return ExecutionProgress.of(current, (total != null) ? total : 0, entity.getProgressMessage());
	}

	private @Nullable Object parse(@Nullable String json) {
		return (json != null) ? this.mapper.readValue(json, Object.class) : null;
	}

}
