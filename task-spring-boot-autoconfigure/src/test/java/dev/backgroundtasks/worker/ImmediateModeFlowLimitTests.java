package dev.backgroundtasks.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.autoconfigure.BackgroundTasksAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksWorkerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks with a concurrency limit per partition or a rate limit in {@code immediate} mode: the caller's thread
 * runs an execution only when its limits allow it, waiting until they do, like a worker's claim.
 */
class ImmediateModeFlowLimitTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:immediate-flow-${random.uuid}",
				"background-tasks.mode=immediate")
		.withBean(LimitedTasks.class);

	@Test
	void callersOfOnePartitionRunOneAtATime() {
		this.contextRunner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			int callers = 6;
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(callers);
			try {
				List<Future<TaskHandle>> submitted = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					String customer = "c" + (i % 2);
					submitted.add(pool.submit(() -> {
						start.await();
						return client.submit("perCustomer", Map.of("customer", customer));
					}));
				}
				start.countDown();
				for (Future<TaskHandle> future : submitted) {
					assertThat(future.get(30, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.SUCCESSFUL);
				}
			}
			finally {
				pool.shutdownNow();
			}
			LimitedTasks tasks = context.getBean(LimitedTasks.class);
			assertThat(tasks.peaks).containsOnlyKeys("c0", "c1");
			assertThat(tasks.peaks.values()).allSatisfy((peak) -> assertThat(peak.get()).isEqualTo(1));
		});
	}

	@Test
	void aRateLimitSpreadsTheCallersStarts() {
		this.contextRunner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			List<Instant> starts = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				TaskHandle handle = client.submit("rated");
				assertThat(handle.status()).isEqualTo(TaskStatus.SUCCESSFUL);
				starts.add(Objects.requireNonNull(handle.execution().startedAt()));
			}
			for (int i = 0; i + 2 < starts.size(); i++) {
				assertThat(Duration.between(starts.get(i), starts.get(i + 2))).as("the third start after start %d", i)
					.isGreaterThanOrEqualTo(Duration.ofMillis(300));
			}
		});
	}

	static class LimitedTasks {

		final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> peaks = new ConcurrentHashMap<>();

		@BackgroundTask(concurrency = 1, partitionBy = "customer")
		public void perCustomer(String customer) throws InterruptedException {
			int now = this.running.computeIfAbsent(customer, (key) -> new AtomicInteger()).incrementAndGet();
			this.peaks.computeIfAbsent(customer, (key) -> new AtomicInteger()).accumulateAndGet(now, Math::max);
			try {
				Thread.sleep(50);
			}
			finally {
				this.running.get(customer).decrementAndGet();
			}
		}

		@BackgroundTask(rate = "2/300ms")
		public void rated() {
		}

	}

}
