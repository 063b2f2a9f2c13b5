package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claims of {@link ExecutionStore}: a batch takes at most its limit of due executions, highest
 * priority first, then oldest, never one that another claimer took; a claim by id takes one
 * {@code READY} execution; a claim carries what the node needs to run the execution.
 */
class ExecutionStoreClaimContractTests extends AbstractExecutionStoreContractTests {

	@Test
	void claimTakesAtMostTheLimitHighestPriorityFirstThenOldest() {
		UUID newer = insert();
		UUID older = this.store.insert(new NewExecution(ExecutionIds.next(), "task", TaskTrigger.CODE, "{}", 1, 0, 0,
				Instant.parse("2020-01-01T00:00:00Z"), null, null, null));
		UUID urgent = this.store.insert(new NewExecution(ExecutionIds.next(), "task", TaskTrigger.CODE, "{}", 1, 0, 5,
				null, null, null, null));
		List<ClaimedExecution> claimed = this.store.claim("n1", 2, LEASE);
		assertThat(claimed).extracting(ClaimedExecution::id).containsExactly(urgent, older);
		assertThat(claimed).allSatisfy((claim) -> {
			assertThat(claim.attempt()).isEqualTo(1);
			assertThat(claim.node()).isEqualTo("n1");
		});
		assertThat(this.store.status(urgent)).isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.status(newer)).isEqualTo(TaskStatus.READY);
		assertThat(this.store.claim("n2", 10, LEASE)).extracting(ClaimedExecution::id).containsExactly(newer);
		assertThat(this.store.claim("n2", 10, LEASE)).isEmpty();
	}

	@Test
	void claimTakesNothingForALimitOfZero() {
		UUID id = insert();
		assertThat(this.store.claim("n1", 0, LEASE)).isEmpty();
		assertThat(this.store.status(id)).isEqualTo(TaskStatus.READY);
	}

	@Test
	void claimSkipsExecutionsNotYetDue() {
		UUID later = insert();
		this.jdbc.update("UPDATE bgt_execution SET run_at = run_at + INTERVAL '1' HOUR WHERE id = ?", later);
		assertThat(this.store.claim("n1", 10, LEASE)).isEmpty();
		assertThat(this.store.status(later)).isEqualTo(TaskStatus.READY);
	}

	@Test
	void concurrentClaimersNeverShareAnExecution() throws Exception {
		Set<UUID> inserted = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			inserted.add(insert());
		}
		int claimers = 4;
		CyclicBarrier start = new CyclicBarrier(claimers);
		ExecutorService executor = Executors.newFixedThreadPool(claimers);
		List<UUID> all = new ArrayList<>();
		try {
			List<Future<List<UUID>>> results = new ArrayList<>();
			for (int i = 0; i < claimers; i++) {
				String node = "n" + i;
				results.add(executor.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					List<UUID> mine = new ArrayList<>();
					List<ClaimedExecution> batch;
					while (!(batch = this.store.claim(node, 7, LEASE)).isEmpty()) {
						assertThat(batch).hasSizeLessThanOrEqualTo(7);
						batch.forEach((claim) -> mine.add(claim.id()));
					}
					return mine;
				}));
			}
			for (Future<List<UUID>> result : results) {
				all.addAll(result.get(60, TimeUnit.SECONDS));
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(all).doesNotHaveDuplicates().hasSameSizeAs(inserted);
		assertThat(new HashSet<>(all)).isEqualTo(inserted);
	}

	/**
	 * Submitters insert (in transactions of their own, a few rows each) while nodes claim and complete:
	 * no statement of either side fails (on MariaDB, locking reads at REPEATABLE READ took gap locks that
	 * deadlocked with the submitters' inserts), and each execution is claimed once.
	 */
	@Test
	void submittersNeverFailWhileNodesClaimAndComplete() throws Exception {
		int submitters = 3;
		int perSubmitter = 150;
		int claimers = 2;
		AtomicBoolean submitting = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(submitters + claimers);
		List<UUID> claimedIds = Collections.synchronizedList(new ArrayList<>());
		try {
			List<Future<List<UUID>>> submitted = new ArrayList<>();
			for (int i = 0; i < submitters; i++) {
				submitted.add(executor.submit(() -> {
					List<UUID> mine = new ArrayList<>();
					for (int row = 0; row < perSubmitter; row += 3) {
						mine.addAll(this.transactions.execute((status) -> List.of(insert(), insert(), insert())));
					}
					return mine;
				}));
			}
			List<Future<?>> nodes = new ArrayList<>();
			for (int i = 0; i < claimers; i++) {
				String node = "n" + i;
				nodes.add(executor.submit(() -> {
					while (true) {
						List<ClaimedExecution> batch = this.store.claim(node, 10, LEASE);
						if (batch.isEmpty() && !submitting.get()) {
							return null;
						}
						batch.forEach((claim) -> claimedIds.add(claim.id()));
						this.store.completeAll(batch.stream().map((claim) -> new Completion(claim, "1")).toList());
					}
				}));
			}
			Set<UUID> inserted = new HashSet<>();
			for (Future<List<UUID>> result : submitted) {
				inserted.addAll(result.get(60, TimeUnit.SECONDS));
			}
			submitting.set(false);
			for (Future<?> node : nodes) {
				node.get(60, TimeUnit.SECONDS);
			}
			assertThat(claimedIds).doesNotHaveDuplicates();
			assertThat(new HashSet<>(claimedIds)).isEqualTo(inserted);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'SUCCESSFUL'",
				Integer.class)).isEqualTo(submitters * perSubmitter);
	}

	@Test
	void aClaimCarriesWhatTheNodeNeedsToRunTheExecution() {
		Instant fireTime = Instant.parse("2026-05-01T10:00:00Z");
		UUID scheduled = ExecutionIds.next();
		this.store.insertScheduled(NewExecution.scheduled(scheduled, "report", "every PT1S", fireTime, 3, 0));
		UUID traced = this.store.insert(new NewExecution(ExecutionIds.next(), "digest", TaskTrigger.API, "{\"x\":1}", 2,
				0, 0, null, null, null, null, "traceparent: t1"));
		List<ClaimedExecution> claimed = this.store.claim("n1", 10, LEASE);
		assertThat(claimed).extracting(ClaimedExecution::id).containsExactly(scheduled, traced);
		ClaimedExecution tick = claimed.get(0);
		assertThat(tick.task()).isEqualTo("report");
		assertThat(tick.params()).isEqualTo("{}");
		assertThat(tick.maxAttempts()).isEqualTo(3);
		assertThat(tick.fireTime()).isEqualTo(fireTime);
		assertThat(tick.traceContext()).isNull();
		ClaimedExecution submitted = claimed.get(1);
		assertThat(submitted.task()).isEqualTo("digest");
		assertThat(submitted.params()).isEqualTo("{\"x\":1}");
		assertThat(submitted.maxAttempts()).isEqualTo(2);
		assertThat(submitted.fireTime()).isNull();
		assertThat(submitted.traceContext()).isEqualTo("traceparent: t1");
		assertThat(claimed).allSatisfy((claim) -> {
			assertThat(claim.readyAt()).isNotNull();
			assertThat(claim.startedAt()).isNotNull().isAfterOrEqualTo(claim.readyAt());
			assertThat(millisFromNow("lease_until", claim.id())).isBetween(20_000L, LEASE.toMillis());
		});
	}

	@Test
	void claimByIdTakesOneReadyExecutionOnce() {
		UUID id = this.store.insert(new NewExecution(ExecutionIds.next(), "digest", TaskTrigger.API, "{\"x\":1}", 2, 0, 0,
				null, null, null, null, "traceparent: t1"));
		ClaimedExecution claim = this.store.claim(id, "n1", LEASE);
		assertThat(claim).isNotNull();
		assertThat(claim.id()).isEqualTo(id);
		assertThat(claim.task()).isEqualTo("digest");
		assertThat(claim.params()).isEqualTo("{\"x\":1}");
		assertThat(claim.attempt()).isEqualTo(1);
		assertThat(claim.node()).isEqualTo("n1");
		assertThat(claim.maxAttempts()).isEqualTo(2);
		assertThat(claim.traceContext()).isEqualTo("traceparent: t1");
		assertThat(claim.startedAt()).isNotNull();
		assertThat(this.store.status(id)).isEqualTo(TaskStatus.RUNNING);
		assertThat(millisFromNow("lease_until", id)).isBetween(20_000L, LEASE.toMillis());
		assertThat(this.store.claim(id, "n2", LEASE)).as("claimed once only").isNull();
		assertThat(this.store.claim("n2", 10, LEASE)).isEmpty();
		UUID cancelled = insert();
		this.store.cancel(cancelled);
		assertThat(this.store.claim(cancelled, "n1", LEASE)).isNull();
		assertThat(this.store.claim(UUID.randomUUID(), "n1", LEASE)).isNull();
	}

	@Test
	void aNodeThatKnowsNoLimitedTaskStillClaimsLimitedExecutionsStoredByOthers() {
		this.limitedTasksKnown = false;
		UUID limited = insert();
		this.jdbc.update("UPDATE bgt_execution SET max_concurrency = 1 WHERE id = ?", limited);
		assertThat(this.store.claim("n1", 5, LEASE)).extracting(ClaimedExecution::id).containsExactly(limited);
	}

}
