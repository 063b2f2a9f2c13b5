package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.ExecutionCancelledException;
import dev.backgroundtasks.ExecutionFailedException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.MinuteStatistics;
import dev.backgroundtasks.execution.MinuteStatistics.MinuteCounts;
import dev.backgroundtasks.execution.MinuteStatistics.OutcomeCounts;
import dev.backgroundtasks.execution.MinuteStatistics.PickupLatency;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.support.NodeName;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The per-minute statistics end to end, on H2 and on PostgreSQL: executions run by the worker are
 * counted in memory, written by the node every flush interval, and read summed per minute, per task and
 * as pickup-latency percentiles.
 */
@SpringBootTest(classes = TestTasksApplication.class,
		properties = { "background-tasks.statistics.flush-interval=200ms", "background-tasks.retry.min-delay=100ms",
				"background-tasks.retry.max-delay=200ms", "background-tasks.worker.cancel-check-interval=100ms" })
// Closed after the class: a cached context would keep its pool of PostgreSQL connections open.
@DirtiesContext
abstract class AbstractStatisticsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Duration WINDOW = Duration.ofMinutes(10);

	@Autowired
	TaskClient tasks;

	@Autowired
	MinuteStatistics statistics;

	@Autowired
	NodeName node;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void countsTheOutcomesAndPickupsOfExecutionsRunHere() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.tasks.submit("add", Map.of("a", i, "b", 1)).await(WAIT)).isEqualTo(i + 1);
		}
		TaskHandle explode = this.tasks.submit("explode", Map.of("reason", "boom"));
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> explode.await(WAIT));
		this.tasks.submit("flaky", Map.of("key", UUID.randomUUID().toString(), "failures", 1)).await(WAIT);
		TaskHandle overrun = this.tasks.submit("overrun", Map.of());
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> overrun.await(WAIT));
		TaskHandle sleepy = this.tasks.submit("sleepy", Map.of("millis", 30_000));
		await().atMost(WAIT).until(() -> sleepy.status() == TaskStatus.RUNNING);
		sleepy.cancel();
		assertThatExceptionOfType(ExecutionCancelledException.class).isThrownBy(() -> sleepy.await(WAIT));

		Map<String, OutcomeCounts> expected = Map.of("add", new OutcomeCounts(3, 0, 0, 0), "explode",
				new OutcomeCounts(0, 1, 0, 0), "flaky", new OutcomeCounts(1, 0, 1, 0), "overrun",
				new OutcomeCounts(0, 1, 0, 0), "sleepy", new OutcomeCounts(0, 0, 0, 1));
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.statistics.perTask(WINDOW)).isEqualTo(expected));

		List<MinuteCounts> perMinute = this.statistics.perMinute(WINDOW);
		assertThat(perMinute).hasSize(10);
		assertThat(perMinute.stream().mapToLong(MinuteCounts::succeeded).sum()).isEqualTo(4);
		assertThat(perMinute.stream().mapToLong(MinuteCounts::failed).sum()).isEqualTo(2);
		assertThat(perMinute.stream().mapToLong(MinuteCounts::retried).sum()).isEqualTo(1);
		assertThat(perMinute.stream().mapToLong(MinuteCounts::cancelled).sum()).isEqualTo(1);

		PickupLatency pickup = this.statistics.pickupLatency(WINDOW);
		assertThat(pickup.count()).as("every attempt started, the retry included").isEqualTo(8);
		assertThat(pickup.p50()).isNotNull().isLessThanOrEqualTo(pickup.p95());
		assertThat(pickup.p95()).isNotNull().isLessThanOrEqualTo(pickup.p99());
		assertThat(pickup.p99()).isNotNull().isLessThan(Duration.ofSeconds(10));

		assertThat(this.jdbc.queryForList("SELECT DISTINCT node FROM bgt_stats_minute", String.class))
			.containsExactly(this.node.value());
	}

}
