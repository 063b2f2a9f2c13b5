package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.execution.ClaimedExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Progress coalescing and sub-contexts, with a store that records writes and an interval too long to
 * elapse during a test, so only flushes and the end of the attempt write.
 */
class AttemptContextsTests {

	private final List<ExecutionProgress> writes = new CopyOnWriteArrayList<>();

	private final ExecutionEventPublisher events = new ExecutionEventPublisher((event) -> {
	}, List::of, (ids) -> Map.of(), List::of, ExecutionEventPublisher.DEFAULT_QUEUE_CAPACITY);

	private final AttemptContexts contexts = new AttemptContexts((claim, progress) -> this.writes.add(progress),
			this.events, JsonMapper.builder().build(), Duration.ofHours(1));

	private final ClaimedExecution claim = new ClaimedExecution(UUID.randomUUID(), "import", "{}", 1, "node-a", 3);

	@AfterEach
	void close() {
		this.contexts.destroy();
	}

	@Test
	void aHundredThousandReportsAreOneWriteAtTheEnd() {
		DefaultTaskContext context = this.contexts.open(this.claim, () -> false);
		context.total(100_000);
		for (int i = 1; i <= 100_000; i++) {
			context.progress(i);
		}
		assertThat(this.writes).isEmpty();
		this.contexts.close(context);
		assertThat(this.writes).containsExactly(new ExecutionProgress(100_000, 100_000L, 1.0, null));
	}

	@Test
	void flushWritesOnlyWhatChanged() {
		DefaultTaskContext context = this.contexts.open(this.claim, () -> false);
		context.total(10).progress(3).message("three");
		context.flush();
		context.flush();
		context.progress(4);
		this.contexts.close(context);
		this.contexts.close(context);
		assertThat(this.writes).containsExactly(new ExecutionProgress(3, 10L, 0.3, "three"),
				new ExecutionProgress(4, 10L, 0.4, "three"));
	}

	@Test
	void stagesMapIntoTheirShareOfTheParent() {
		DefaultTaskContext context = this.contexts.open(this.claim, () -> false);
		TaskContext reading = context.subContext("Reading", 0.25).total(10);
		reading.progress(5).message("half read");
		context.flush();
		reading.progress(10);
		TaskContext writing = context.subContext("Writing", 0.75);
		TaskContext indexing = writing.subContext("Indexing", 0.5).total(2);
		indexing.progress(1);
		context.flush();
		writing.progress(100);
		this.contexts.close(context);
		List<ExecutionProgress> written = new ArrayList<>(this.writes);
		assertThat(written).containsExactly(new ExecutionProgress(13, 100L, 0.13, "Reading: half read"),
				new ExecutionProgress(44, 100L, 0.44, "Writing / Indexing"),
				new ExecutionProgress(100, 100L, 1.0, "Writing / Indexing"));
		assertThatIllegalArgumentException().isThrownBy(() -> context.subContext("Too much", 1.5));
	}

	@Test
	void isCancelledFollowsTheAttemptAndIdentifiesIt() {
		AtomicBoolean stop = new AtomicBoolean();
		DefaultTaskContext context = this.contexts.open(this.claim, stop::get);
		assertThat(context.isCancelled()).isFalse();
		stop.set(true);
		assertThat(context.isCancelled()).isTrue();
		assertThat(context.executionId()).isEqualTo(this.claim.id());
		assertThat(context.attempt()).isEqualTo(1);
	}

}
