package dev.backgroundtasks.modulith.it;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.modulith.IncompletePublicationResubmitter;
import dev.backgroundtasks.modulith.TaskSubmittingEventExternalizer;
import dev.backgroundtasks.modulith.it.ModulithTestApplication.Listeners;
import dev.backgroundtasks.modulith.it.ModulithTestApplication.OrderPlaced;
import dev.backgroundtasks.modulith.it.ModulithTestApplication.ParcelLost;
import dev.backgroundtasks.modulith.it.ModulithTestApplication.PoisonPill;
import dev.backgroundtasks.modulith.it.ModulithTestApplication.ShipmentBooked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Spring Modulith integration with {@code spring-modulith-events-jdbc}: failed publications
 * resubmitted by the scheduled task with exponential backoff until they succeed or are left for an
 * operator, and externalized events delivered as task submissions. Run on H2 and PostgreSQL by the
 * subclasses; the resubmission task runs every second, waits 1 s after a first failure, then 2 s, 4 s.
 */
@SpringBootTest(classes = ModulithTestApplication.class,
		properties = { "spring.modulith.events.jdbc.schema-initialization.enabled=true",
				"background-tasks.modulith.resubmission.interval=1s",
				"background-tasks.modulith.resubmission.min-delay=1s",
				"background-tasks.modulith.resubmission.max-delay=4s",
				"background-tasks.modulith.resubmission.max-resubmissions=2" })
@ExtendWith(OutputCaptureExtension.class)
// Closed after the class: a cached context would keep running its schedule.
@DirtiesContext
abstract class AbstractModulithIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(45);

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper mapper;

	@Autowired
	Listeners listeners;

	@Test
	void aFailedPublicationIsResubmittedWithBackoffUntilItsListenerSucceeds() {
		String orderId = UUID.randomUUID().toString();
		publish(new OrderPlaced(orderId));
		await().atMost(WAIT).until(() -> "COMPLETED".equals(publication(OrderPlaced.class).get("status")));
		Map<String, Object> publication = publication(OrderPlaced.class);
		assertThat(publication.get("completion_date")).isNotNull();
		// The original delivery and two resubmissions, the last one successful.
		assertThat(publication.get("completion_attempts")).isEqualTo(3);
		List<Instant> deliveries = this.listeners.deliveries(orderId);
		assertThat(deliveries).hasSize(3);
		// Backoff: the first resubmission at least 1 s after publication, the second at least 2 s after
		// the first (not every run of the task, every second).
		Instant published = instant(publication.get("publication_date"));
		assertThat(Duration.between(published, deliveries.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(Duration.between(published, deliveries.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
		// The runs of the task are executions like any other, with what they did as result.
		assertThat(resubmissionResults()).anySatisfy((result) -> assertThat(result.get("resubmitted").asInt())
			.isPositive());
	}

	@Test
	void aPublicationThatKeepsFailingIsLeftForAnOperatorAfterTheLastResubmission() {
		String id = UUID.randomUUID().toString();
		publish(new PoisonPill(id));
		// The original delivery and two resubmissions, all failed.
		await().atMost(WAIT).until(() -> this.listeners.deliveries(id).size() == 3
				&& "FAILED".equals(publication(PoisonPill.class).get("status")));
		// Left alone from then on: no fourth delivery, whatever the number of runs since.
		int runs = resubmissionResults().size();
		await().atMost(WAIT).until(() -> resubmissionResults().size() >= runs + 2);
		assertThat(this.listeners.deliveries(id)).hasSize(3);
		Map<String, Object> publication = publication(PoisonPill.class);
		assertThat(publication.get("status")).isEqualTo("FAILED");
		assertThat(publication.get("completion_date")).isNull();
		assertThat(publication.get("completion_attempts")).isEqualTo(3);
		assertThat(resubmissionResults()).anySatisfy((result) -> assertThat(result.get("exhausted").asInt())
			.isPositive());
	}

	@Test
	void anExternalizedEventBecomesAnExecutionOfTheTaskItIsRoutedTo() {
		String orderId = UUID.randomUUID().toString();
		publish(new ShipmentBooked(orderId, 3));
		await().atMost(WAIT)
			.until(() -> this.jdbc.queryForList("SELECT status FROM bgt_execution WHERE task_name = ? AND params LIKE ?",
					String.class, "record-shipment", "%" + orderId + "%"), (statuses) -> statuses.contains("SUCCESSFUL"));
		Map<String, Object> execution = this.jdbc.queryForMap(
				"SELECT params, result FROM bgt_execution WHERE task_name = ? AND params LIKE ?", "record-shipment",
				"%" + orderId + "%");
		JsonNode params = this.mapper.readTree((String) execution.get("params"));
		assertThat(params.get("orderId").asString()).isEqualTo(orderId);
		assertThat(params.get("parcels").asInt()).isEqualTo(3);
		assertThat(this.mapper.readTree((String) execution.get("result")).asString()).isEqualTo(orderId + " x 3");
		await().atMost(WAIT).until(() -> "COMPLETED".equals(publication(ShipmentBooked.class).get("status")));
		assertThat(publication(ShipmentBooked.class).get("listener_id"))
			.isEqualTo(TaskSubmittingEventExternalizer.LISTENER_ID);
	}

	@Test
	void anEventExternalizedToNoTaskFailsClearlyAndItsPublicationStaysIncomplete(CapturedOutput output) {
		publish(new ParcelLost(UUID.randomUUID().toString()));
		// Failed, resubmitted twice (it fails the same way), then left for an operator.
		await().atMost(WAIT).until(() -> {
			Map<String, Object> publication = publication(ParcelLost.class);
			return "FAILED".equals(publication.get("status"))
					&& Integer.valueOf(3).equals(publication.get("completion_attempts"));
		});
		assertThat(publication(ParcelLost.class).get("completion_date")).isNull();
		assertThat(output).contains("Event " + ParcelLost.class.getName()
				+ " is externalized to 'no-such-task', which names no background task");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = ?", Integer.class,
				"no-such-task"))
			.isZero();
	}

	private void publish(Object event) {
		this.transactions.executeWithoutResult((status) -> this.events.publishEvent(event));
	}

	/**
	 * The one publication of an event type, as Modulith's JDBC registry stores it.
	 */
	private Map<String, Object> publication(Class<?> eventType) {
		List<Map<String, Object>> rows = this.jdbc.queryForList(
				"SELECT status, completion_date, completion_attempts, publication_date, listener_id"
						+ " FROM event_publication WHERE event_type = ?",
				eventType.getName());
		assertThat(rows).as("publications of %s", eventType.getSimpleName()).hasSizeLessThanOrEqualTo(1);
		if (rows.isEmpty()) {
			return Map.of();
		}
		// Column names as the database reports them: upper case on H2, lower case on PostgreSQL.
		Map<String, Object> row = new LinkedHashMap<>();
		rows.get(0).forEach((column, value) -> row.put(column.toLowerCase(Locale.ROOT), value));
		return row;
	}

	private List<JsonNode> resubmissionResults() {
		return this.jdbc
			.queryForList("SELECT result FROM bgt_execution WHERE task_name = ? AND status = 'SUCCESSFUL'", String.class,
					IncompletePublicationResubmitter.TASK)
			.stream()
			.map(this.mapper::readTree)
			.toList();
	}

	private static Instant instant(Object timestamp) {
		if (timestamp instanceof Timestamp sql) {
			return sql.toInstant();
		}
		if (timestamp instanceof OffsetDateTime offset) {
			return offset.toInstant();
		}
		throw new IllegalStateException("Unexpected timestamp " + timestamp.getClass());
	}

}
