package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.DependencyFailedException;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskBatch;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.app.EngineTasks;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's cluster promises, with two nodes (two application contexts) on one database: a task's
 * concurrency limit holds across nodes, per partition too while other partitions run beside it, a rate limit
 * holds across nodes, a key admits one active execution however many threads race, and
 * a node that shuts down hands its unfinished work back without counting it, including what it claimed
 * ahead and never started. Run on PostgreSQL and on MariaDB by the subclasses.
 */
abstract class AbstractEngineClusterTests {

	@Test
	void aBatchSpreadOverTwoNodesRunsItsCallbackOnceAfterEveryMemberEnded() {
		String url = freshUrl();
		try (ConfigurableApplicationContext first = node(url, "node-a", "background-tasks.worker.concurrency=2");
				ConfigurableApplicationContext second = node(url, "node-b", "background-tasks.worker.concurrency=2")) {
			TaskBatch batch = first.getBean(TaskClient.class).batch();
			for (int i = 0; i < 40; i++) {
				batch.add("batchMember", Map.of("millis", 100, "fail", i % 4 == 0));
			}
			BatchHandle handle = batch.onComplete("batchDone", Map.of("label", "cluster")).submit();
			String batchId = handle.id().toString();
			await().atMost(Duration.ofSeconds(60)).until(() -> EngineTasks.batchCallbacks.containsKey(batchId));
			ExecutionQueries queries = second.getBean(ExecutionQueries.class);
			List<Execution> members = queries.page(ExecutionFilter.all().withBatchId(handle.id()), 0, 100).content();
			assertThat(members).hasSize(40).allSatisfy((member) -> assertThat(member.status().isTerminal()).isTrue());
			assertThat(members).extracting(Execution::node).as("members ran on both nodes").contains("node-a", "node-b");
			Execution callback = await().atMost(Duration.ofSeconds(30)).until(() -> queries
				.page(new ExecutionFilter("batchDone", null), 0, 10)
				.content()
				.stream()
				.filter((execution) -> batchId.equals(execution.params().get("batchId")))
				.toList(), (found) -> found.size() == 1 && found.get(0).status().isTerminal()).get(0);
			assertThat(callback.status()).isEqualTo(TaskStatus.SUCCESSFUL);
			assertThat(callback.result()).isEqualTo("cluster 30/10/0");
			for (Execution member : members) {
				assertThat(callback.startedAt()).isAfterOrEqualTo(member.finishedAt());
			}
			// Both nodes' lease recovery swept meanwhile (every heartbeat): still one callback, run once.
			assertThat(EngineTasks.batchCallbacks.get(batchId)).containsExactly(Map.of("SUCCESSFUL", 30, "FAILED", 10,
					"CANCELLED", 0));
			assertThat(handle.isDone()).isTrue();
			assertThat(handle.counts()).containsEntry(TaskStatus.SUCCESSFUL, 30).containsEntry(TaskStatus.FAILED, 10);
			JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'batchDone'",
					Integer.class)).isEqualTo(1);
		}
	}

	@Test
	void concurrencyOneNeverRunsTwoAtOnceAnywhere() {
		String url = freshUrl();
		EngineTasks.limitedRunning.set(0);
		EngineTasks.limitedPeak.set(0);
		try (ConfigurableApplicationContext first = node(url, "node-a");
				ConfigurableApplicationContext second = node(url, "node-b")) {
			List<TaskHandle> handles = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				ConfigurableApplicationContext node = (i % 2 == 0) ? first : second;
				handles.add(node.getBean(TaskClient.class).submit("limited", Map.of()));
			}
			handles.forEach((handle) -> handle.await(Duration.ofSeconds(30)));
			assertThat(EngineTasks.limitedPeak.get()).isEqualTo(1);
			JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
			// Both nodes keep trying to claim (woken by their polls, and on PostgreSQL by NOTIFY); which one
			// wins each turn is not fixed, so only the limit and the outcomes are asserted.
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'limited'"
					+ " AND status = 'SUCCESSFUL'", Integer.class)).isEqualTo(20);
		}
	}

	@Test
	void aPartitionNeverRunsMoreThanItsLimitAnywhereWhileOtherPartitionsRunBesideIt() {
		String url = freshUrl();
		FlowChecks.resetPartitionCounters();
		try (ConfigurableApplicationContext first = node(url, "node-a");
				ConfigurableApplicationContext second = node(url, "node-b")) {
			List<TaskHandle> handles = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ConfigurableApplicationContext node = (i % 2 == 0) ? first : second;
				handles.add(node.getBean(TaskClient.class).submit("perCustomer", Map.of("customer", "c" + (i % 3))));
			}
			for (TaskHandle handle : handles) {
				handle.await(Duration.ofSeconds(30));
				assertThat(handle.execution().status()).isEqualTo(TaskStatus.SUCCESSFUL);
			}
			assertThat(EngineTasks.customerPeak).hasSize(3);
			assertThat(EngineTasks.customerPeak.values()).allSatisfy((peak) -> assertThat(peak.get()).isBetween(1, 2));
			assertThat(EngineTasks.customersPeak.get()).as("customers running at once").isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void aRateLimitHoldsAcrossNodes() {
		String url = freshUrl();
		try (ConfigurableApplicationContext first = node(url, "node-a");
				ConfigurableApplicationContext second = node(url, "node-b")) {
			List<TaskHandle> handles = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				ConfigurableApplicationContext node = (i % 2 == 0) ? first : second;
				handles.add(node.getBean(TaskClient.class).submit("rated", Map.of("n", i)));
			}
			for (TaskHandle handle : handles) {
				handle.await(Duration.ofSeconds(30));
				assertThat(handle.execution().status()).isEqualTo(TaskStatus.SUCCESSFUL);
			}
			assertThat(FlowChecks.mostStartsInAnyWindow(handles, Duration.ofMillis(500))).isLessThanOrEqualTo(5);
		}
	}

	@Test
	void dependentsSubmittedOnOneNodeNeverStartBeforeTheirParentsSucceededOnAnyNode() {
		String url = freshUrl();
		try (ConfigurableApplicationContext first = node(url, "node-a");
				ConfigurableApplicationContext second = node(url, "node-b")) {
			String run = UUID.randomUUID().toString();
			List<TaskHandle> children = new ArrayList<>();
			List<TaskHandle[]> parents = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				TaskClient parentNode = ((i % 2 == 0) ? first : second).getBean(TaskClient.class);
				TaskClient childNode = ((i % 2 == 0) ? second : first).getBean(TaskClient.class);
				TaskHandle one = parentNode.submit("step", Map.of("name", run + "-p1-" + i, "millis", 100, "fail", false));
				TaskHandle two = parentNode.submit("step", Map.of("name", run + "-p2-" + i, "millis", 100, "fail", false));
				parents.add(new TaskHandle[] { one, two });
				children.add(childNode.task("step")
					.params(Map.of("name", run + "-c-" + i, "millis", 0, "fail", false))
					.after(one.id(), two.id())
					.submit());
			}
			TaskHandle failing = first.getBean(TaskClient.class)
				.submit("step", Map.of("name", run + "-failing", "millis", 100, "fail", true));
			TaskHandle abandoned = second.getBean(TaskClient.class)
				.task("step")
				.params(Map.of("name", run + "-abandoned", "millis", 0, "fail", false))
				.after(failing.id())
				.submit();
			List<String> steps;
			for (int i = 0; i < children.size(); i++) {
				TaskHandle child = children.get(i);
				child.await(Duration.ofSeconds(30));
				Execution execution = child.execution();
				assertThat(execution.status()).isEqualTo(TaskStatus.SUCCESSFUL);
				for (TaskHandle parent : parents.get(i)) {
					assertThat(execution.startedAt()).as("database time")
						.isAfterOrEqualTo(parent.execution().finishedAt());
				}
				steps = List.copyOf(EngineTasks.steps);
				assertThat(steps.indexOf("start " + run + "-c-" + i))
					.isGreaterThan(steps.indexOf("end " + run + "-p1-" + i))
					.isGreaterThan(steps.indexOf("end " + run + "-p2-" + i));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> abandoned.execution().status() == TaskStatus.CANCELLED);
			assertThat(abandoned.execution().error().type()).isEqualTo(DependencyFailedException.class.getName());
			assertThat(abandoned.execution().error().message()).contains(failing.id().toString());
			assertThat(EngineTasks.steps).doesNotContain("start " + run + "-abandoned");
			JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'WAITING'", Integer.class))
				.isZero();
		}
	}

	@Test
	void snoozedExecutionsRunAgainOnAnyNodeUnderTheSameAttemptAndSucceedWithOneAttemptUsed() {
		String url = freshUrl();
		try (ConfigurableApplicationContext first = node(url, "node-a");
				ConfigurableApplicationContext second = node(url, "node-b")) {
			List<TaskHandle> handles = new ArrayList<>();
			List<String> keys = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				String key = UUID.randomUUID().toString();
				keys.add(key);
				ConfigurableApplicationContext node = (i % 2 == 0) ? first : second;
				handles.add(node.getBean(TaskClient.class).submit("snoozy", Map.of("key", key, "snoozes", 2)));
			}
			for (TaskHandle handle : handles) {
				handle.await(Duration.ofSeconds(30));
				assertThat(handle.execution().status()).isEqualTo(TaskStatus.SUCCESSFUL);
				assertThat(handle.execution().attempt()).isEqualTo(1);
				assertThat(handle.execution().snoozes()).isEqualTo(2);
			}
			keys.forEach((key) -> assertThat(EngineTasks.snoozyRuns.get(key)).containsExactly(1, 1, 1));
		}
	}

	@Test
	void manyThreadsSubmittingOneKeyMakeOneExecution() throws Exception {
		String url = freshUrl();
		try (ConfigurableApplicationContext first = node(url, "node-a", "background-tasks.worker.enabled=false");
				ConfigurableApplicationContext second = node(url, "node-b", "background-tasks.worker.enabled=false")) {
			int threads = 16;
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			Set<UUID> ids = ConcurrentHashMap.newKeySet();
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				TaskClient client = ((i % 2 == 0) ? first : second).getBean(TaskClient.class);
				futures.add(pool.submit(() -> {
					start.await();
					ids.add(client.task("greet").param("name", "once").key("the-key").submit().id());
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get();
			}
			pool.shutdown();
			assertThat(ids).hasSize(1);
			JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE dedup_key = 'the-key'",
					Integer.class))
				.isEqualTo(1);
		}
	}

	@Test
	void shutdownHandsBackWhatDidNotFinishWithoutCountingTheAttempt() {
		String url = freshUrl();
		TaskHandle handle;
		JdbcTemplate jdbc;
		try (ConfigurableApplicationContext node = node(url, "leaving", "background-tasks.worker.shutdown-timeout=2s")) {
			handle = node.getBean(TaskClient.class).submit("sleepy", Map.of("millis", 60_000));
			await().atMost(Duration.ofSeconds(10)).until(() -> handle.status() == TaskStatus.RUNNING);
			jdbc = new JdbcTemplate(node.getBean(DataSource.class));
			// Polled often: with a 100 ms poll the short run could be missed and seen only as SUCCESSFUL.
			TaskHandle finishing = node.getBean(TaskClient.class).submit("sleepy", Map.of("millis", 500));
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> finishing.status() == TaskStatus.RUNNING);
		}
		try (ConfigurableApplicationContext observer = node(url, "observer", "background-tasks.worker.enabled=false")) {
			JdbcTemplate reader = new JdbcTemplate(observer.getBean(DataSource.class));
			assertHandedBack(reader, handle.id());
			assertThat(reader.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'SUCCESSFUL'",
					Integer.class))
				.as("the short one finished within the shutdown timeout")
				.isEqualTo(1);
		}
	}

	@Test
	void shutdownHandsBackPrefetchedExecutionsThatNeverStarted() {
		String url = freshUrl();
		TaskHandle running;
		List<TaskHandle> prefetched = new ArrayList<>();
		try (ConfigurableApplicationContext node = node(url, "prefetching", "background-tasks.worker.concurrency=1",
				"background-tasks.worker.prefetch=4", "background-tasks.worker.shutdown-timeout=10s")) {
			TaskClient client = node.getBean(TaskClient.class);
			// A node claims ahead only tasks it has timed short: one short run first.
			client.submit("sleepy", Map.of("millis", 1)).await(Duration.ofSeconds(10));
			// Long enough that the three below are claimed ahead before it ends and shows this node's
			// tasks to be long (no prefetch then).
			running = client.submit("sleepy", Map.of("millis", 5000));
			await().atMost(Duration.ofSeconds(10)).until(() -> running.status() == TaskStatus.RUNNING);
			// One batch, one wake-up: the next claim takes all three.
			prefetched.addAll(client.submitAll("sleepy", List.of(Map.of("millis", 60_000), Map.of("millis", 60_000),
					Map.of("millis", 60_000))));
			// Claimed ahead by the only node: RUNNING in the table while they wait in its local queue.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> prefetched.stream().allMatch((handle) -> handle.status() == TaskStatus.RUNNING));
		}
		try (ConfigurableApplicationContext observer = node(url, "observer", "background-tasks.worker.enabled=false")) {
			JdbcTemplate reader = new JdbcTemplate(observer.getBean(DataSource.class));
			assertThat(reader.queryForObject("SELECT status FROM bgt_execution WHERE id = ?", String.class, running.id()))
				.as("the running one finished within the shutdown timeout")
				.isEqualTo("SUCCESSFUL");
			assertThat(reader.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'SUCCESSFUL'",
					Integer.class))
				.as("the short one that timed the task, and the running one")
				.isEqualTo(2);
			for (TaskHandle handle : prefetched) {
				assertHandedBack(reader, handle.id());
			}
		}
	}

	@Test
	void longTasksAreNotClaimedAheadSoAnotherNodeCanRunThem() {
		String url = freshUrl();
		try (ConfigurableApplicationContext node = node(url, "busy", "background-tasks.worker.concurrency=1",
				"background-tasks.worker.prefetch=4", "background-tasks.worker.shutdown-timeout=100ms")) {
			TaskClient client = node.getBean(TaskClient.class);
			// One execution of 300 ms teaches the node that its tasks take longer than the 100 ms horizon.
			client.submit("sleepy", Map.of("millis", 300)).await(Duration.ofSeconds(10));
			TaskHandle running = client.submit("sleepy", Map.of("millis", 60_000));
			await().atMost(Duration.ofSeconds(10)).until(() -> running.status() == TaskStatus.RUNNING);
			List<TaskHandle> waiting = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				waiting.add(client.submit("sleepy", Map.of("millis", 60_000)));
			}
			try (ConfigurableApplicationContext other = node(url, "idle", "background-tasks.worker.concurrency=3",
					"background-tasks.worker.shutdown-timeout=100ms")) {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> waiting.stream().allMatch((handle) -> handle.execution().node() != null
							&& handle.execution().node().equals("idle")));
			}
		}
	}

	/**
	 * @return the JDBC URL of a new, empty database (or schema) that the nodes share
	 */
	abstract String freshUrl();

	private static ConfigurableApplicationContext node(String url, String name, String... properties) {
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--background-tasks.node-name=" + name, "--background-tasks.worker.poll-interval=100ms",
				"--spring.datasource.hikari.maximum-pool-size=20"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(TestTasksApplication.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}


	/**
	 * Asserts that an execution was handed back: READY again, its attempt not counted (the next claim runs
	 * under the same number; attempt numbers never go down), no node or lease.
	 */
	private static void assertHandedBack(JdbcTemplate reader, UUID id) {
		Map<String, Object> row = reader.queryForMap("SELECT status, attempt, reuse_attempt, node, lease_until"
				+ " FROM bgt_execution WHERE id = ?", id);
		assertThat(row.get("status")).isEqualTo("READY");
		assertThat(row.get("attempt")).isEqualTo(1);
		assertThat(row.get("reuse_attempt")).isEqualTo(true);
		assertThat(row.get("node")).isNull();
		assertThat(row.get("lease_until")).isNull();
	}

}
