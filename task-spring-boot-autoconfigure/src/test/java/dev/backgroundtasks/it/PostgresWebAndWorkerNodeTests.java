package dev.backgroundtasks.it;

import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.it.SseClient.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web-only node and a worker node on PostgreSQL, in a fresh schema: besides its progress and result,
 * the worker's events reach the web-only node's stream through LISTEN/NOTIFY.
 */
@PostgresTest
class PostgresWebAndWorkerNodeTests extends AbstractWebAndWorkerNodeTests {

	@Override
	String freshUrl() {
		return PostgresTestDatabase.freshSchemaUrl();
	}

	@Override
	void assertStreamed(SseClient stream, UUID id) {
		List<Event> events = stream.awaitEvent((event) -> AbstractTaskContextTests.isStatus(event, id, "SUCCESSFUL"));
		List<Event> ours = events.stream()
			.filter((event) -> event.data().get("executionId").asString().equals(id.toString()))
			.toList();
		assertThat(ours).filteredOn((event) -> AbstractTaskContextTests.isStatus(event, id, "RUNNING"))
			.singleElement()
			.satisfies((event) -> assertThat(event.data().get("node").asString()).isEqualTo("worker"));
		assertThat(ours).filteredOn((event) -> event.name().equals("progress")).hasSizeGreaterThanOrEqualTo(3);
		assertThat(ours).filteredOn((event) -> event.name().equals("custom"))
			.singleElement()
			.satisfies((event) -> assertThat(event.data().get("name").asString()).isEqualTo("halfway"));
		assertThat(ours.get(0).name()).isEqualTo("status");
		assertThat(ours.get(0).data().get("status").asString()).isEqualTo("READY");
	}

}
