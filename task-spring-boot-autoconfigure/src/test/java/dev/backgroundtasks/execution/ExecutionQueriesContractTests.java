package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import jakarta.persistence.EntityManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The listings of {@link JpaExecutionQueries}: every filter, alone and with a task, tasks and a status,
 * against what a plain reading of the filter picks from the same rows, newest first; paged, sliced and
 * counted up to limits. The rows include RUNNING executions of every task (the task index leaves them
 * out, see {@link ExecutionListing}) and ids of the same and of adjacent milliseconds around each time
 * bound.
 */
class ExecutionQueriesContractTests extends AbstractStoreContractTests {

	/** The first row's millisecond; each row is a second after the one before. */
	private static final long BASE = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

	private static final String[] TASKS = { "alpha", "beta", "gamma" };

	private static final String[] SUBMITTERS = { "alice", "bob", null, null, "alice" };

	private static final int ROWS = 60;

	/** By id as the databases compare uuids: as unsigned numbers. */
	private static final Comparator<Row> NEWEST_FIRST = Comparator
		.comparing((Row row) -> row.id().getMostSignificantBits(), Long::compareUnsigned)
		.thenComparing((row) -> row.id().getLeastSignificantBits(), Long::compareUnsigned)
		.reversed();

	private EntityManagerFactory entityManagerFactory;

	private ExecutionQueries queries;

	private final List<Row> rows = new ArrayList<>();

	@BeforeEach
	void queries() {
		if (this.entityManagerFactory == null) {
			LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
			factory.setDataSource(this.jdbc.getDataSource());
			factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
			factory.setManagedTypes(PersistenceManagedTypes.of(TaskExecution.class.getName()));
			factory.afterPropertiesSet();
			this.entityManagerFactory = factory.getObject();
		}
		TransactionTemplate readOnly = new TransactionTemplate(new JpaTransactionManager(this.entityManagerFactory));
		readOnly.setReadOnly(true);
		this.queries = new JpaExecutionQueries(
				SharedEntityManagerCreator.createSharedEntityManager(this.entityManagerFactory), readOnly,
				JsonMapper.builder().build());
		this.rows.clear();
	}

	@AfterParameterizedClassInvocation
	void closeEntityManagerFactory() {
		if (this.entityManagerFactory != null) {
			this.entityManagerFactory.close();
			this.entityManagerFactory = null;
		}
	}

	@Test
	void everyFilterAloneAndWithTasksAndStatusesListsPagesAndCountsWhatMatches() {
		insertRows();
		Instant tenth = Instant.ofEpochMilli(BASE + 10_000);
		Instant fortieth = Instant.ofEpochMilli(BASE + 40_000);
		List<ExecutionFilter> narrowings = List.of(ExecutionFilter.all(),
				ExecutionFilter.all().withSubmittedBy("alice"),
				ExecutionFilter.all().withKey("shared"), ExecutionFilter.all().withKey("key-4"),
				ExecutionFilter.all().withNode("n1"), ExecutionFilter.all().withTrigger(TaskTrigger.SCHEDULE),
				ExecutionFilter.all().withFrom(fortieth), ExecutionFilter.all().withTo(tenth),
				ExecutionFilter.all().withFrom(tenth).withTo(fortieth),
				ExecutionFilter.all().withNode("n0").withTrigger(TaskTrigger.API).withFrom(tenth));
		for (ExecutionFilter narrowing : narrowings) {
			for (ExecutionFilter choice : choices()) {
				ExecutionFilter filter = choice.withSubmittedBy(narrowing.submittedBy())
					.withKey(narrowing.key())
					.withNode(narrowing.node())
					.withTrigger(narrowing.trigger())
					.withFrom(narrowing.from())
					.withTo(narrowing.to());
				assertListing(filter, expected(filter));
			}
		}
	}

	@Test
	void aTimeRangeIncludesFromAndExcludesToToTheMillisecond() {
		long millis = BASE + 5_000;
		UUID earlier = insert(id(millis - 1, 0xFFF, -1L), "alpha");
		UUID first = insert(id(millis, 0, 0), "alpha");
		UUID last = insert(id(millis, 0xFFF, -1L), "alpha");
		UUID later = insert(id(millis + 1, 0, 0), "alpha");
		Instant at = Instant.ofEpochMilli(millis);
		assertThat(ids(ExecutionFilter.all().withFrom(at))).containsExactly(later, last, first);
		assertThat(ids(ExecutionFilter.all().withTo(at))).containsExactly(earlier);
		assertThat(ids(ExecutionFilter.all().withFrom(at).withTo(at.plusMillis(1)))).containsExactly(last, first);
		assertThat(ids(ExecutionFilter.all().withFrom(at).withTo(at))).isEmpty();
		assertThat(ids(ExecutionFilter.all().withFrom(at.plusNanos(1)))).as("from within a millisecond: the next one")
			.containsExactly(later);
		assertThat(ids(ExecutionFilter.all().withTo(at.plusNanos(1)))).containsExactly(last, first, earlier);
		assertThat(ids(ExecutionFilter.all().withFrom(at.minusNanos(1)).withTo(at.plusNanos(1))))
			.containsExactly(last, first);
		assertThat(ids(ExecutionFilter.all().withTask("alpha").withStatus(TaskStatus.SUCCESSFUL).withFrom(at)
			.withTo(at.plusMillis(1)))).containsExactly(last, first);
	}

	@Test
	void timeBoundsBeyondTheYear6429CompareAsUnsignedNumbers() {
		// From about 6429 on, an id's first bit is set: a signed comparison would put it before 1970.
		UUID now = insert(id(BASE, 0, 0), "alpha");
		long far = Instant.parse("9000-01-01T00:00:00Z").toEpochMilli();
		UUID future = insert(id(far, 0, 0), "alpha");
		assertThat(id(far, 0, 0).getMostSignificantBits()).isNegative();
		assertThat(ids(ExecutionFilter.all())).containsExactly(future, now);
		assertThat(ids(ExecutionFilter.all().withTo(Instant.parse("9999-12-31T23:59:59Z")))).containsExactly(future,
				now);
		assertThat(ids(ExecutionFilter.all().withFrom(Instant.parse("7000-01-01T00:00:00Z")))).containsExactly(future);
		assertThat(ids(ExecutionFilter.all().withTo(Instant.parse("7000-01-01T00:00:00Z")))).containsExactly(now);
		assertThat(ids(ExecutionFilter.all().withFrom(Instant.parse("1900-01-01T00:00:00Z")))).containsExactly(future,
				now);
		assertThat(ids(ExecutionFilter.all().withTo(Instant.parse("1900-01-01T00:00:00Z")))).isEmpty();
	}

	@Test
	void countsStopAtTheLimit() {
		insertRows();
		ExecutionFilter alpha = ExecutionFilter.all().withTask("alpha");
		assertThat(this.queries.count(alpha, 1000)).isEqualTo(20);
		assertThat(this.queries.count(alpha, 20)).isEqualTo(20);
		assertThat(this.queries.count(alpha, 19)).isEqualTo(19);
		assertThat(this.queries.count(alpha, 1)).isEqualTo(1);
		assertThat(this.queries.count(alpha, 0)).isZero();
		assertThat(this.queries.count(ExecutionFilter.all(), 7)).isEqualTo(7);
		assertThat(this.queries.count(ExecutionFilter.all(), Long.MAX_VALUE)).isEqualTo(ROWS);
		assertThat(this.queries.count(ExecutionFilter.all().withTasks(Set.of()), 10)).isZero();
		assertThatIllegalArgumentException().isThrownBy(() -> this.queries.count(alpha, -1))
			.withMessage("limit must be 0 or more, got -1");
	}

	@Test
	void aSliceTellsWhetherAnotherPageFollows() {
		insertRows();
		ExecutionFilter alpha = ExecutionFilter.all().withTask("alpha");
		ExecutionSlice first = this.queries.slice(alpha, 0, 10);
		assertThat(first.content()).hasSize(10);
		assertThat(first.hasNext()).isTrue();
		ExecutionSlice last = this.queries.slice(alpha, 1, 10);
		assertThat(last.content()).hasSize(10);
		assertThat(last.hasNext()).as("exactly two full pages").isFalse();
		ExecutionSlice beyond = this.queries.slice(alpha, 2, 10);
		assertThat(beyond.content()).isEmpty();
		assertThat(beyond.hasNext()).isFalse();
		assertThat(this.queries.slice(alpha, 0, 21).hasNext()).isFalse();
		assertThat(this.queries.slice(alpha, 0, 19).hasNext()).isTrue();
	}

	@Test
	void aTaskOutsideTheTasksMatchesNothingAndOneInsideMatchesItself() {
		insertRows();
		assertListing(ExecutionFilter.all().withTask("alpha").withTasks(Set.of("beta", "gamma")), List.of());
		assertListing(ExecutionFilter.all().withTasks(Set.of()), List.of());
		ExecutionFilter inside = ExecutionFilter.all().withTask("alpha").withTasks(Set.of("alpha", "beta"));
		assertListing(inside, expected(ExecutionFilter.all().withTask("alpha")));
	}

	@Test
	void latestIsTheNewestExecutionOfATaskRunningOrNot() {
		insertRows();
		assertThat(this.queries.latest("beta")).map(Execution::id).contains(newest("beta"));
		assertThat(this.queries.latest("delta")).isEmpty();
	}

	@Test
	void findAllReadsWhatFindReadsWithSeveralIdsPerQuery() {
		insertRows();
		List<UUID> varied = this.rows.stream().map(Row::id).toList();
		// More than one IN list's worth.
		for (int i = 0; i < 540; i++) {
			insert(UUID.randomUUID(), "delta");
		}
		List<UUID> stored = this.rows.stream().map(Row::id).toList();
		List<UUID> asked = new ArrayList<>(stored);
		asked.add(UUID.randomUUID());
		asked.add(stored.get(0));
		Map<UUID, Execution> found = this.queries.findAll(asked);
		assertThat(found).containsOnlyKeys(stored);
		found.forEach((id, execution) -> assertThat(execution.id()).isEqualTo(id));
		for (UUID id : varied) {
			assertThat(found.get(id)).isEqualTo(this.queries.find(id).orElseThrow());
		}
		assertThat(this.queries.findAll(List.of(stored.get(5), stored.get(7), stored.get(9))))
			.containsOnlyKeys(stored.get(5), stored.get(7), stored.get(9));
		assertThat(this.queries.findAll(List.of())).isEmpty();
	}

	/**
	 * @return every listing to narrow: all, by task, tasks and status, and by task or tasks with each status
	 */
	private static List<ExecutionFilter> choices() {
		List<ExecutionFilter> choices = new ArrayList<>();
		List<ExecutionFilter> tasks = List.of(ExecutionFilter.all(), ExecutionFilter.all().withTask("alpha"),
				ExecutionFilter.all().withTasks(Set.of("alpha", "beta")),
				ExecutionFilter.all().withTasks(Set.of("gamma", "delta")));
		for (ExecutionFilter task : tasks) {
			choices.add(task);
			for (TaskStatus status : TaskStatus.values()) {
				choices.add(task.withStatus(status));
			}
		}
		return choices;
	}

	private void assertListing(ExecutionFilter filter, List<UUID> expected) {
		int size = 7;
		List<UUID> paged = new ArrayList<>();
		List<UUID> sliced = new ArrayList<>();
		int pages = (expected.size() + size - 1) / size;
		for (int page = 0; page <= pages; page++) {
			ExecutionPage result = this.queries.page(filter, page, size);
			assertThat(result.totalElements()).as("total of %s", filter).isEqualTo(expected.size());
			assertThat(result.totalPages()).as("pages of %s", filter).isEqualTo(pages);
			result.content().forEach((execution) -> paged.add(execution.id()));
			ExecutionSlice slice = this.queries.slice(filter, page, size);
			assertThat(slice.hasNext()).as("page %d of %s has a next", page, filter).isEqualTo(page + 1 < pages);
			slice.content().forEach((execution) -> sliced.add(execution.id()));
		}
		assertThat(paged).as("pages of %s", filter).containsExactlyElementsOf(expected);
		assertThat(sliced).as("slices of %s", filter).containsExactlyElementsOf(expected);
		for (long limit : new long[] { 1, expected.size() - 1, expected.size(), expected.size() + 1 }) {
			if (limit > 0) {
				assertThat(this.queries.count(filter, limit)).as("%s counted up to %d", filter, limit)
					.isEqualTo(Math.min(limit, expected.size()));
			}
		}
	}

	/**
	 * @return the ids of the rows the filter picks, read plainly, newest first
	 */
	private List<UUID> expected(ExecutionFilter filter) {
		Stream<Row> matching = this.rows.stream()
			.filter(matches(filter.task(), Row::task))
			.filter((row) -> filter.tasks() == null || filter.tasks().contains(row.task()))
			.filter(matches(filter.status(), Row::status))
			.filter(matches(filter.submittedBy(), Row::submittedBy))
			.filter(matches(filter.key(), Row::key))
			.filter(matches(filter.node(), Row::node))
			.filter(matches(filter.trigger(), Row::trigger))
			.filter((row) -> filter.from() == null || !row.createdAt().isBefore(filter.from()))
			.filter((row) -> filter.to() == null || row.createdAt().isBefore(filter.to()));
		return matching.sorted(NEWEST_FIRST).map(Row::id).toList();
	}

	private static <T> Predicate<Row> matches(@Nullable T wanted, Function<Row, @Nullable T> value) {
		return (row) -> wanted == null || wanted.equals(value.apply(row));
	}

	private UUID newest(String task) {
		return expected(ExecutionFilter.all().withTask(task)).get(0);
	}

	private List<UUID> ids(ExecutionFilter filter) {
		return this.queries.page(filter, 0, 100).content().stream().map(Execution::id).toList();
	}

	/**
	 * Rows of three tasks, a second apart, each task in every status (RUNNING ones too) with every
	 * trigger, on two nodes (none while WAITING or READY), some of two submitters, some with a key shared by
	 * finished executions, some with a key of their own.
	 */
	private void insertRows() {
		TaskStatus[] statuses = TaskStatus.values();
		TaskTrigger[] triggers = TaskTrigger.values();
		for (int i = 0; i < ROWS; i++) {
			TaskStatus status = statuses[(i / 3) % statuses.length];
			boolean active = status == TaskStatus.READY || status == TaskStatus.RUNNING;
			// A WAITING execution never has a key (the store refuses 'after' with a key) nor a node.
			boolean waiting = status == TaskStatus.WAITING;
			String key = (i % 3 == 1 && !waiting) ? (active ? "key-" + i : "shared") : null;
			String node = (status != TaskStatus.READY && !waiting) ? "n" + (i % 2) : null;
			insert(new Row(id(BASE + i * 1000L, i, i), TASKS[i % 3], status, triggers[(i / 2) % triggers.length], key,
					node, SUBMITTERS[i % SUBMITTERS.length]));
		}
	}

	private UUID insert(UUID id, String task) {
		return insert(new Row(id, task, TaskStatus.SUCCESSFUL, TaskTrigger.CODE, null, "n0", null));
	}

	private UUID insert(Row row) {
		boolean running = row.status() == TaskStatus.RUNNING;
		boolean finished = row.status().isTerminal();
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt,"
				+ " max_attempts, max_concurrency, priority, node, created_at, run_at, started_at, finished_at,"
				+ " lease_until, dedup_key, submitted_by) VALUES (?, ?, ?, ?, '{}', 1, 1, 0, 0, ?, CURRENT_TIMESTAMP,"
				+ " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, " + (finished ? "CURRENT_TIMESTAMP" : "NULL") + ", "
				+ (running ? "CURRENT_TIMESTAMP + INTERVAL '1' HOUR" : "NULL") + ", ?, ?)", row.id(), row.task(),
				row.status().name(), row.trigger().name(), row.node(), row.key(), row.submittedBy());
		this.rows.add(row);
		return row.id();
	}

	/**
	 * @return a version 7 id of the millisecond, with the given counter and random bits
	 */
	private static UUID id(long millis, int counter, long random) {
		return new UUID((millis << 16) | 0x7000 | (counter & 0xFFF), (random & 0x3FFFFFFFFFFFFFFFL) | Long.MIN_VALUE);
	}

	private record Row(UUID id, String task, TaskStatus status, TaskTrigger trigger, @Nullable String key,
			@Nullable String node, @Nullable String submittedBy) {

		/**
		 * @return the millisecond the id holds
		 */
		Instant createdAt() {
			return Instant.ofEpochMilli(this.id.getMostSignificantBits() >>> 16);
		}

	}

}
