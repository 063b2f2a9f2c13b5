package dev.backgroundtasks.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.support.EngineThreads.Registration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EngineThreads}: a registered thread that ends is dead until its registration is removed.
 */
class EngineThreadsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final EngineThreads threads = new EngineThreads();

	@Test
	void aRegisteredThreadThatEndsIsDead() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		Thread thread = new Thread(() -> awaitQuietly(release), "bgt-test-dispatcher");
		this.threads.register(thread);
		assertThat(this.threads.dead()).as("not started yet").isEmpty();
		thread.start();
		assertThat(this.threads.dead()).as("running").isEmpty();
		release.countDown();
		thread.join(WAIT.toMillis());
		assertThat(this.threads.dead()).containsExactly("bgt-test-dispatcher");
	}

	@Test
	void aThreadRemovedBeforeItStopsOnPurposeIsNotDead() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		Thread thread = new Thread(() -> awaitQuietly(release), "bgt-test-writer");
		thread.start();
		Registration registration = this.threads.register(thread);
		registration.remove();
		release.countDown();
		thread.join(WAIT.toMillis());
		assertThat(this.threads.dead()).isEmpty();
	}

	@Test
	void aThreadDyingOfAnErrorIsReportedAmongTheLiving() {
		Thread dying = new Thread(() -> {
			throw new StackOverflowError("test");
		}, "bgt-test-supervisor");
		dying.setUncaughtExceptionHandler((thread, ex) -> {
		});
		Thread living = new Thread(() -> awaitQuietly(new CountDownLatch(1)), "bgt-test-living");
		living.setDaemon(true);
		this.threads.register(living);
		this.threads.register(dying);
		living.start();
		dying.start();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.threads.dead()).containsExactly("bgt-test-supervisor"));
		living.interrupt();
	}

	@Test
	void aLivenessCheckCountsAsItSaysAndAsDeadWhenItThrows() {
		boolean[] alive = { true };
		this.threads.register("job", () -> alive[0]);
		this.threads.register("broken", () -> {
			throw new IllegalStateException("test");
		});
		assertThat(this.threads.dead()).containsExactly("broken");
		alive[0] = false;
		assertThat(this.threads.dead()).containsExactly("broken", "job");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
