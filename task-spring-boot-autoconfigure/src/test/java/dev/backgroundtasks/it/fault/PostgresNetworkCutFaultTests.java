package dev.backgroundtasks.it.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import dev.backgroundtasks.it.TcpProxy;
import dev.backgroundtasks.it.fault.FaultTasks.Run;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A network cut between one node and PostgreSQL, longer than a lease. Node A reaches the database through a
 * {@link TcpProxy}, node B directly. While A runs an execution of a {@code concurrency = 1} task, the proxy
 * holds every byte between A and the database (nothing is closed, as when a route drops) for several
 * leases. A must stop its attempt (interrupt it) before B, which recovers the execution once the lease
 * expires, starts it; B runs it to {@code SUCCESSFUL}; no two runs of the task overlap anywhere. Once the
 * cut heals, A's held statements reach the database and must not change B's outcome, and A keeps working.
 */
@PostgresTest
class PostgresNetworkCutFaultTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final String ROW = "SELECT status, node, attempt, result, error_type, error_message, started_at,"
			+ " finished_at FROM bgt_execution WHERE id = ?";

	@Test
	void theCutNodeStopsItsAttemptAndTheOtherRunsItOnceNeverTwoAtOnce() throws Exception {
		int others = FaultScale.of(3, 8);
		Duration cut = LEASE.multipliedBy(FaultScale.of(3, 5));
		FaultTasks.resetFenced();
		String url = PostgresTestDatabase.freshSchemaUrl();
		JdbcTemplate observer = FaultNodes.observer(url);
		SoftAssertions softly = new SoftAssertions();
		Map<String, Object> figures = new LinkedHashMap<>();
		try {
			cutAndHeal(url, observer, others, cut, softly, figures);
		}
		finally {
			// Also when the test failed early: a held run must not outlive it.
			FaultTasks.releaseHeld();
		}
		softly.assertAll();
	}

	private void cutAndHeal(String url, JdbcTemplate observer, int others, Duration cut, SoftAssertions softly,
			Map<String, Object> figures) throws InterruptedException {
		try (TcpProxy proxy = FaultNodes.proxyTo(url);
				ConfigurableApplicationContext first = node(FaultNodes.through(proxy, url), "node-a")) {
			TaskClient clientA = first.getBean(TaskClient.class);
			TaskHandle execution = clientA.submit("fault-fenced",
					Map.of("millis", 1500, "holdOn", "node-a"));
			UUID id = execution.id();
			await().atMost(Duration.ofSeconds(30)).until(() -> runOf("node-a", id) != null);
			Run onA = runOf("node-a", id);
			Map<String, Object> bResult;
			List<TaskHandle> more = new ArrayList<>();
			long cutNanos;
			try (ConfigurableApplicationContext second = node(url, "node-b")) {
				TaskClient clientB = second.getBean(TaskClient.class);
				softly.assertThat(onA.ended()).as("node-a's attempt still runs when the cut begins").isFalse();
				long cutAt = System.nanoTime();
				proxy.cut();
				for (int i = 0; i < others; i++) {
					more.add(clientB.submit("fault-fenced", Map.of("millis", 1000)));
				}
				boolean bStarted = FaultChecks.within(LEASE.multipliedBy(5), () -> runOf("node-b", id) != null);
				Duration left = cut.minusNanos(System.nanoTime() - cutAt);
				if (!left.isNegative()) {
					// The fault itself: the cut lasts this long.
					Thread.sleep(left.toMillis());
				}
				boolean aStoppedInCut = onA.ended();
				proxy.heal();
				cutNanos = System.nanoTime() - cutAt;
				boolean bFinished = FaultChecks.within(Duration.ofSeconds(30),
						() -> clientB.handle(id).status().isTerminal());
				bResult = observer.queryForMap(ROW, id);
				boolean othersFinished = FaultChecks.within(Duration.ofSeconds(30),
						() -> more.stream().allMatch((handle) -> clientB.handle(handle.id()).status().isTerminal()));
				Run onB = runOf("node-b", id);
				figures.put("bStartedAfterCut", (onB != null) ? FaultScale.seconds(onB.startNanos() - cutAt) : "never");
				figures.put("aStoppedAfterCut", onA.ended() ? FaultScale.seconds(onA.endNanos() - cutAt) : "running");
				softly.assertThat(bStarted).as("node-b started the execution during the cut").isTrue();
				softly.assertThat(aStoppedInCut).as("node-a stopped its attempt during the cut (%s)", onA).isTrue();
				softly.assertThat(onA.interrupted()).as("node-a's attempt was interrupted (%s)", onA).isTrue();
				if (onB != null) {
					softly.assertThat(onA.ended() && onA.endNanos() < onB.startNanos())
						.as("node-a's attempt ended before node-b started the execution (%s; %s)", onA, onB)
						.isTrue();
				}
				softly.assertThat(bFinished).as("the execution finished on node-b").isTrue();
				softly.assertThat(bResult).as("the execution after node-b ran it")
					.containsEntry("status", "SUCCESSFUL")
					.containsEntry("node", "node-b")
					.containsEntry("result", "\"node-b\"");
				softly.assertThat(othersFinished).as("the other executions finished during or after the cut").isTrue();
			}
			// node-a's attempt, if it still runs, may end now; whatever node-a writes must leave node-b's outcome
			// alone. Then node-a must work as before.
			FaultTasks.releaseHeld();
			boolean aEnded = FaultChecks.within(Duration.ofSeconds(30), onA::ended);
			TaskHandle after = clientA.submit("fault-fenced", Map.of("millis", 200));
			boolean afterRan = FaultChecks.within(Duration.ofSeconds(30),
					() -> clientA.handle(after.id()).status() == TaskStatus.SUCCESSFUL);
			Map<String, Object> finalRow = observer.queryForMap(ROW, id);
			List<Run> runs = List.copyOf(FaultTasks.fencedRuns);
			List<String> overlaps = overlaps(runs);

			figures.put("executions", 2 + others);
			figures.put("terminal", observer.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name ="
					+ " 'fault-fenced' AND status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED')", Integer.class));
			figures.put("successful", observer.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name ="
					+ " 'fault-fenced' AND status = 'SUCCESSFUL'", Integer.class));
			figures.put("runs", runs.size());
			// The cut execution runs twice by design: node-a's attempt, stopped, then node-b's.
			figures.put("ranTwice", runs.stream()
				.collect(Collectors.groupingBy(Run::execution, Collectors.counting()))
				.values()
				.stream()
				.filter((count) -> count > 1)
				.count());
			figures.put("runsOfCutExecution", runs.stream().filter((run) -> run.execution().equals(id)).count());
			figures.put("overlaps", overlaps.size());
			figures.put("aInterrupted", onA.interrupted());
			figures.put("finalNode", finalRow.get("node"));
			figures.put("finalStatus", finalRow.get("status"));
			figures.put("finalAttempt", finalRow.get("attempt"));
			figures.put("leaseExpiries", FaultChecks.leaseExpiries(observer));
			figures.put("failed", observer.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'FAILED'",
					Integer.class));
			figures.put("cut", FaultScale.seconds(cutNanos));
			figures.put("lease", LEASE.toMillis() / 1000 + "s");
			FaultScale.summary("network-cut", figures);

			softly.assertThat(aEnded).as("node-a's attempt ended (%s)", onA).isTrue();
			softly.assertThat(finalRow).as("the execution once node-a's held writes went through")
				.isEqualTo(bResult);
			softly.assertThat(afterRan).as("node-a ran a new execution after the cut healed").isTrue();
			softly.assertThat(clientA.handle(after.id()).execution().node()).as("the node of the new execution")
				.isEqualTo("node-a");
			softly.assertThat(overlaps).as("runs of the concurrency = 1 task that overlap (all runs: %s)", runs)
				.isEmpty();
			for (TaskHandle handle : more) {
				softly.assertThat(clientA.handle(handle.id()).status()).as("status of execution %s", handle.id())
					.isEqualTo(TaskStatus.SUCCESSFUL);
			}
		}
	}

	private static ConfigurableApplicationContext node(String url, String name) {
		return FaultNodes.start(url, name, "background-tasks.worker.concurrency=4",
				"background-tasks.worker.lease-time=" + LEASE.toMillis() + "ms",
				"background-tasks.worker.heartbeat-interval=500ms", "spring.datasource.hikari.maximum-pool-size=8");
	}

	private static @Nullable Run runOf(String node, UUID execution) {
		return FaultTasks.fencedRuns.stream()
			.filter((run) -> run.node().equals(node) && run.execution().equals(execution))
			.findFirst()
			.orElse(null);
	}

	/**
	 * @return each run that started before an earlier-started run ended (or while it still runs)
	 */
	private static List<String> overlaps(List<Run> runs) {
		List<Run> byStart = new ArrayList<>(runs);
		byStart.sort(Comparator.comparingLong(Run::startNanos));
		List<String> overlaps = new ArrayList<>();
		for (int i = 1; i < byStart.size(); i++) {
			Run run = byStart.get(i);
			for (Run earlier : byStart.subList(0, i)) {
				if (!earlier.ended() || earlier.endNanos() > run.startNanos()) {
					overlaps.add(run + " overlaps " + earlier);
				}
			}
		}
		return overlaps;
	}

}
