package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.ExecutionProgress;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.support.TransactionOperations;

/**
 * Reads executions through JPA and turns the {@link TaskExecution} entity into the public
 * {@link Execution} record, parsing its JSON text.
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
	public ExecutionPage page(ExecutionFilter filter, int page, int size) {
		ExecutionPage result = this.readOnlyTransactions.execute((status) -> {
			CriteriaBuilder cb = this.entityManager.getCriteriaBuilder();
			CriteriaQuery<TaskExecution> query = cb.createQuery(TaskExecution.class);
			Root<TaskExecution> root = query.from(TaskExecution.class);
			query.where(predicates(cb, root, filter)).orderBy(cb.desc(root.get("createdAt")), cb.desc(root.get("id")));
			List<Execution> content = this.entityManager.createQuery(query)
				.setFirstResult(Math.multiplyExact(page, size))
				.setMaxResults(size)
				.getResultStream()
				.map(this::toExecution)
				.toList();
			CriteriaQuery<Long> count = cb.createQuery(Long.class);
			Root<TaskExecution> countRoot = count.from(TaskExecution.class);
			count.select(cb.count(countRoot)).where(predicates(cb, countRoot, filter));
			long total = this.entityManager.createQuery(count).getSingleResult();
			return new ExecutionPage(content, page, size, total, (int) ((total + size - 1) / size));
		});
		return (result != null) ? result : new ExecutionPage(List.of(), page, size, 0, 0);
	}

	private Predicate[] predicates(CriteriaBuilder cb, Root<TaskExecution> root, ExecutionFilter filter) {
		List<Predicate> predicates = new ArrayList<>();
		if (filter.task() != null) {
			predicates.add(cb.equal(root.get("taskName"), filter.task()));
		}
		if (filter.status() != null) {
			predicates.add(cb.equal(root.get("status"), filter.status().name()));
		}
		return predicates.toArray(Predicate[]::new);
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
				entity.isCancelRequested(), entity.getRetryOf());
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
