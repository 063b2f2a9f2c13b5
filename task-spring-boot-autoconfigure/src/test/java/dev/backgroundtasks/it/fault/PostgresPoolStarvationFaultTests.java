package dev.backgroundtasks.it.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pool starvation: one node with a pool of 4 connections and 8 worker threads runs tasks that each hold a
 * pooled connection for longer than the lease, so tasks (and those waiting for a connection) take the whole
 * pool for the length of the batch. The node's lease work must not queue behind them: no lease expires, no
 * attempt is recovered, and every execution succeeds, once. Start-up warns that the pool is too small.
 */
@PostgresTest
@ExtendWith(OutputCaptureExtension.class)
class PostgresPoolStarvationFaultTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	/** How long each task holds its connection: longer than a lease. */
	private static final long HOLD_MILLIS = 4_000;

	@Test
	void tasksHoldingThePoolLetNoLeaseExpire(CapturedOutput output) {
		int executions = FaultScale.of(16, 64);
		FaultTasks.holdRuns.clear();
		String url = PostgresTestDatabase.freshSchemaUrl();
		JdbcTemplate observer = FaultNodes.observer(url);
		try (ConfigurableApplicationContext node = FaultNodes.start(url, "starved",
				"background-tasks.worker.concurrency=8", "spring.datasource.hikari.maximum-pool-size=4",
				// Tasks wait for a connection as long as it takes: the test is about the engine's waits.
				"spring.datasource.hikari.connection-timeout=600000",
				"background-tasks.worker.lease-time=" + LEASE.toMillis() + "ms",
				"background-tasks.worker.heartbeat-interval=500ms")) {
			List<Map<String, Object>> params = IntStream.range(0, executions)
				.<Map<String, Object>>mapToObj((key) -> Map.of("key", key, "millis", HOLD_MILLIS))
				.toList();
			long started = System.nanoTime();
			node.getBean(TaskClient.class).submitAll("fault-hold", params);
			// Four at a time at best: about executions / 4 * HOLD_MILLIS.
			boolean allTerminal = FaultChecks.within(Duration.ofMillis(HOLD_MILLIS * executions).plusMinutes(1),
					() -> count(observer, "status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED')") == executions);
			long drainNanos = System.nanoTime() - started;

			int successful = count(observer, "status = 'SUCCESSFUL'");
			int failed = count(observer, "status = 'FAILED'");
			int ranTwice = (int) FaultTasks.holdRuns.values().stream().filter((runs) -> runs.get() > 1).count();
			int neverRan = executions - FaultTasks.holdRuns.size();
			int leaseExpiries = FaultChecks.leaseExpiries(observer);
			long recovered = FaultChecks.recovered(node);
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("executions", executions);
			figures.put("terminal", count(observer, "status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED')"));
			figures.put("successful", successful);
			figures.put("failed", failed);
			figures.put("neverRan", neverRan);
			figures.put("ranTwice", ranTwice);
			figures.put("leaseExpiries", leaseExpiries);
			figures.put("recovered", recovered);
			figures.put("attemptAbove1", count(observer, "attempt > 1"));
			figures.put("pool", 4);
			figures.put("threads", 8);
			figures.put("lease", LEASE.toMillis() / 1000 + "s");
			figures.put("hold", HOLD_MILLIS / 1000 + "s");
			figures.put("drain", FaultScale.seconds(drainNanos));
			FaultScale.summary("pool-starvation", figures);

			SoftAssertions softly = new SoftAssertions();
			softly.assertThat(output.getOut()).as("the start-up warning about the pool")
				.contains("The connection pool holds at most 4 connections");
			softly.assertThat(allTerminal).as("every execution terminal in time").isTrue();
			softly.assertThat(leaseExpiries).as("attempts whose lease expired (attempt history)").isZero();
			softly.assertThat(recovered).as("the node's background.tasks.recovered count (-1: no meter registry)")
				.isZero();
			softly.assertThat(successful).as("executions SUCCESSFUL").isEqualTo(executions);
			softly.assertThat(failed).as("executions FAILED").isZero();
			softly.assertThat(neverRan).as("executions that never ran").isZero();
			softly.assertThat(ranTwice).as("executions run more than once").isZero();
			softly.assertAll();
		}
	}

	private static int count(JdbcTemplate jdbc, String condition) {
		Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-hold' AND "
				+ condition, Integer.class);
		return (count != null) ? count : 0;
	}

}
