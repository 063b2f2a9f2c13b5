package dev.backgroundtasks.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionPage;
import dev.backgroundtasks.execution.ExecutionQueries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExecutionWaiters#awaitAsync}, on executions held in memory.
 */
class ExecutionWaitersTests {

	private final Map<UUID, Execution> executions = new ConcurrentHashMap<>();

	private final AtomicInteger reads = new AtomicInteger();

	private final ExecutionWaiters waiters = new ExecutionWaiters(new ExecutionQueries() {

		@Override
		public Optional<Execution> find(UUID id) {
			ExecutionWaitersTests.this.reads.incrementAndGet();
			return Optional.ofNullable(ExecutionWaitersTests.this.executions.get(id));
		}

		@Override
		public ExecutionPage page(ExecutionFilter filter, int page, int size) {
			throw new UnsupportedOperationException();
		}

	});

	@AfterEach
	void close() {
		this.waiters.close();
	}

	@Test
	void anExecutionFinishedAlreadyOrUnknownAnswersAtOnceWithoutAThread() {
		UUID done = store(TaskStatus.SUCCESSFUL);
		CompletableFuture<Optional<Execution>> finished = this.waiters.awaitAsync(done, Duration.ofMinutes(1));
		assertThat(finished).isCompletedWithValueMatching((execution) -> execution.orElseThrow().id().equals(done));
		assertThat(this.waiters.awaitAsync(ExecutionIds.next(), Duration.ofMinutes(1)))
			.isCompletedWithValue(Optional.empty());
		assertThat(this.reads).hasValue(2);
	}

	@Test
	void aLocalFinishAnswersTheWait() throws Exception {
		UUID id = store(TaskStatus.RUNNING);
		CompletableFuture<Optional<Execution>> wait = this.waiters.awaitAsync(id, Duration.ofMinutes(1));
		assertThat(wait).isNotDone();
		replace(id, TaskStatus.SUCCESSFUL);
		this.waiters.finished(id);
		assertThat(wait.get(10, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
	}

	@Test
	void anExecutionFinishedElsewhereIsSeenByReadingAgain() throws Exception {
		UUID id = store(TaskStatus.RUNNING);
		CompletableFuture<Optional<Execution>> wait = this.waiters.awaitAsync(id, Duration.ofMinutes(1));
		replace(id, TaskStatus.FAILED);
		assertThat(wait.get(10, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
	}

	@Test
	void theWaitEndsWithTheLastSnapshotWhenTheTimeIsUp() throws Exception {
		UUID id = store(TaskStatus.READY);
		Optional<Execution> execution = this.waiters.awaitAsync(id, Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
		assertThat(execution.orElseThrow().status()).isEqualTo(TaskStatus.READY);
	}

	@Test
	void closingEndsPendingWaitsExceptionally() {
		UUID id = store(TaskStatus.RUNNING);
		CompletableFuture<Optional<Execution>> wait = this.waiters.awaitAsync(id, Duration.ofMinutes(1));
		this.waiters.close();
		this.waiters.finished(id);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> wait.get(10, TimeUnit.SECONDS));
	}

	private UUID store(TaskStatus status) {
		UUID id = ExecutionIds.next();
		replace(id, status);
		return id;
	}

	private void replace(UUID id, TaskStatus status) {
		Instant now = Instant.now();
		this.executions.put(id, new Execution(id, "greet", status, TaskTrigger.CODE, Map.of(), null, null, 1, 3, 0, null,
				null, now, now, null, null, null, false, null));
	}

}
