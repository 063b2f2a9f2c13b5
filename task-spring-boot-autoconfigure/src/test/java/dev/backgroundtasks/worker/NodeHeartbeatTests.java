package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.support.EngineThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * {@link NodeHeartbeat} over a mocked store: the tasks are written with the first beat and when they
 * change, and a beat that throws an {@code Error} neither ends the heartbeat nor goes unseen.
 */
class NodeHeartbeatTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final JdbcNodeStore store = mock(JdbcNodeStore.class);

	private final AttemptSupervisor supervisor = mock(AttemptSupervisor.class);

	private final EngineThreads engineThreads = new EngineThreads();

	private List<String> tasks = List.of("b", "a");

	private final NodeHeartbeat heartbeat = new NodeHeartbeat(this.store, this.supervisor, Duration.ofMillis(20), 4,
			() -> "worker", () -> this.tasks, this.engineThreads);

	@AfterEach
	void stop() {
		this.heartbeat.stop();
	}

	@Test
	void writesTheSortedTasksWithTheFirstBeatAndWhenTheyChange() {
		given(this.supervisor.node()).willReturn("n1");
		this.heartbeat.beat();
		verify(this.store).heartbeat("n1", 0, 4, "worker", "a,b", true);
		this.heartbeat.beat();
		verify(this.store).heartbeat("n1", 0, 4, "worker", "a,b", false);
		this.tasks = List.of("a", "b", "c");
		this.heartbeat.beat();
		verify(this.store).heartbeat("n1", 0, 4, "worker", "a,b,c", true);
	}

	@Test
	void aBeatThatThrowsAnErrorIsRetriedAtTheNextInterval() {
		given(this.supervisor.node()).willReturn("n1");
		AtomicInteger beats = new AtomicInteger();
		willAnswer((invocation) -> {
			if (beats.incrementAndGet() == 1) {
				throw new OutOfMemoryError("test");
			}
			return null;
		}).given(this.store).heartbeat(eq("n1"), anyInt(), anyInt(), any(), any(), anyBoolean());
		this.heartbeat.start();
		await().atMost(WAIT).until(() -> beats.get() >= 3);
		assertThat(this.engineThreads.dead()).isEmpty();
		// The failed beat wrote nothing: the next one writes the tasks.
		verify(this.store, times(2)).heartbeat("n1", 0, 4, "worker", "a,b", true);
		verify(this.store, atLeastOnce()).heartbeat("n1", 0, 4, "worker", "a,b", false);
	}

}
