package dev.backgroundtasks.execution;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.ExecutionProgress;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;
import jakarta.persistence.QueryTimeoutException;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.support.TransactionOperations;

/**
 * Reads executions through JPA and turns the {@link TaskExecution} entity into the public
 * {@link Execution} record, parsing its JSON text. Listings run the statements of
 * {@link ExecutionListing}. Attempts are read with JDBC, on the connection of the same transaction
 * ({@link AttemptHistory}).
 */
public class JpaExecutionQueries implements ExecutionQueries {

	private static final String QUERY_TIMEOUT = "jakarta.persistence.query.timeout";

	private static final int MAX_IN = 512;

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

	/**
	 * Reads them with {@code IN} lists of up to {@value #MAX_IN} ids, each padded to a power of two with
	 * its last id: a few statement shapes, not one per list length.
	 */
	@Override
	public Map<UUID, Execution> findAll(Collection<UUID> ids) {
		List<UUID> distinct = List.copyOf(new LinkedHashSet<>(ids));
		Map<UUID, Execution> found = new HashMap<>();
		if (distinct.isEmpty()) {
			return found;
		}
		this.readOnlyTransactions.executeWithoutResult((status) -> {
			for (int from = 0; from < distinct.size(); from += MAX_IN) {
				List<UUID> chunk = new ArrayList<>(distinct.subList(from, Math.min(distinct.size(), from + MAX_IN)));
				int padded = Integer.highestOneBit(chunk.size() - 1) << 1;
				while (chunk.size() < padded) {
					chunk.add(chunk.get(chunk.size() - 1));
				}
				this.entityManager
					.createQuery("SELECT e FROM TaskExecution e WHERE e.id IN :ids", TaskExecution.class)
					.setParameter("ids", chunk)
					.getResultList()
					.forEach((entity) -> found.put(entity.getId(), toExecution(entity)));
			}
		});
		return found;
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
		ExecutionListing listing = ExecutionListing.of(filter);
		if (listing.isEmpty()) {
			return new ExecutionPage(List.of(), page, size, 0, 0);
		}
		ExecutionPage result = this.readOnlyTransactions.execute((status) -> {
			List<Execution> content = list(listing.rows(offset(page, size), size));
			long total = count(listing.count());
			return new ExecutionPage(content, page, size, total, (int) ((total + size - 1) / size));
		});
		return (result != null) ? result : new ExecutionPage(List.of(), page, size, 0, 0);
	}

	/**
	 * Reads one row more than the page to tell whether another follows, and counts the whole listing
	 * (without the cursor) up to one more than {@code countLimit}.
	 */
	@Override
	public ExecutionPage page(ExecutionFilter filter, @Nullable UUID before, int page, int size, long countLimit) {
		if (countLimit < 1) {
			throw new IllegalArgumentException("countLimit must be 1 or more, got " + countLimit);
		}
		ExecutionListing listing = ExecutionListing.of(filter, before);
		if (listing.isEmpty()) {
			return new ExecutionPage(List.of(), page, size, 0, 0);
		}
		ExecutionListing all = (before != null) ? ExecutionListing.of(filter) : listing;
		ExecutionPage result = this.readOnlyTransactions.execute((status) -> {
			List<Execution> rows = list(listing.rows(offset(page, size), Math.addExact(size, 1)));
			List<Execution> content = rows.subList(0, Math.min(size, rows.size()));
			UUID next = (rows.size() > size) ? content.get(content.size() - 1).id() : null;
			long counted = count(all.count(Math.addExact(countLimit, 1)));
			long total = Math.min(counted, countLimit);
			return new ExecutionPage(content, page, size, total, (int) Math.min(Integer.MAX_VALUE, (total + size - 1) / size),
					counted > countLimit, next);
		});
		return (result != null) ? result : new ExecutionPage(List.of(), page, size, 0, 0);
	}

	@Override
	public ExecutionSlice slice(ExecutionFilter filter, int page, int size) {
		ExecutionListing listing = ExecutionListing.of(filter);
		// One row more than the page tells whether another page follows.
		List<Execution> rows = listing.isEmpty() ? List.of()
				: read(() -> list(listing.rows(offset(page, size), Math.addExact(size, 1))));
		return new ExecutionSlice(rows.subList(0, Math.min(size, rows.size())), page, size, rows.size() > size);
	}

	@Override
	public long count(ExecutionFilter filter, long limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must be 0 or more, got " + limit);
		}
		ExecutionListing listing = ExecutionListing.of(filter);
		if (limit == 0 || listing.isEmpty()) {
			return 0;
		}
		Long count = this.readOnlyTransactions.execute((status) -> count(listing.count(limit)));
		return (count != null) ? count : 0;
	}

	@Override
	public Optional<Execution> latest(String task) {
		ExecutionListing listing = ExecutionListing.of(ExecutionFilter.all().withTask(task));
		return read(() -> list(listing.rows(0, 1))).stream().findFirst();
	}

	private List<Execution> read(Supplier<List<Execution>> rows) {
		List<Execution> read = this.readOnlyTransactions.execute((status) -> rows.get());
		return (read != null) ? read : List.of();
	}

	private static long offset(int page, int size) {
		return Math.multiplyExact((long) page, size);
	}

	private List<Execution> list(ExecutionListing.Statement statement) {
		@SuppressWarnings("unchecked")
		List<TaskExecution> rows = bind(this.entityManager.createNativeQuery(statement.sql(), TaskExecution.class),
				statement.args())
			.getResultList();
		return rows.stream().map(this::toExecution).toList();
	}

	@Override
	public OptionalLong count(ExecutionFilter filter, long limit, Duration timeout) {
		ExecutionListing listing = ExecutionListing.of(filter);
		if (limit <= 0 || listing.isEmpty()) {
			return OptionalLong.of(count(filter, limit));
		}
		// JDBC's query timeout is in whole seconds: round up, at least one.
		int millis = (int) Math.max(1000, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000 * 1000));
		try {
			Long count = this.readOnlyTransactions.execute((status) -> ((Number) bind(
					this.entityManager.createNativeQuery(listing.count(limit).sql()), listing.count(limit).args())
				.setHint(QUERY_TIMEOUT, millis)
				.getSingleResult()).longValue());
			return OptionalLong.of((count != null) ? count : 0);
		}
		catch (PersistenceException ex) {
			if (timedOut(ex)) {
				return OptionalLong.empty();
			}
			throw ex;
		}
	}

	/**
	 * PostgreSQL and H2 cancel a statement past its timeout with SQL state 57014, MariaDB with 70100,
	 * which Hibernate does not always translate into a {@link QueryTimeoutException}.
	 */
	private static boolean timedOut(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof QueryTimeoutException || cause instanceof SQLTimeoutException
					|| (cause instanceof SQLException sql
							&& ("57014".equals(sql.getSQLState()) || "70100".equals(sql.getSQLState())))) {
				return true;
			}
		}
		return false;
	}

	private long count(ExecutionListing.Statement statement) {
		return ((Number) bind(this.entityManager.createNativeQuery(statement.sql()), statement.args())
			.getSingleResult()).longValue();
	}

	private static Query bind(Query query, List<Object> args) {
		for (int i = 0; i < args.size(); i++) {
			query.setParameter(i + 1, args.get(i));
		}
		return query;
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
				entity.isCancelRequested(), entity.getRetryOf(), entity.getSubmittedBy(), entity.getCancelledBy(),
				entity.getSnoozes(), DependencyRows.parse(entity.getAfterIds()),
				entity.getBatchId());
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
