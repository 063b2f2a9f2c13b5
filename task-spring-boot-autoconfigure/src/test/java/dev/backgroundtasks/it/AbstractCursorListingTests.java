package dev.backgroundtasks.it;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walking {@code GET /executions} by its cursor ({@code before}, following each page's {@code next}) with
 * every filter: no execution is skipped or repeated, even when newer executions are stored between
 * pages, and the total stops at the count limit (5 here). Run per database by the subclasses.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "background-tasks.web.count-limit=5")
abstract class AbstractCursorListingTests {

	private static final int ROWS = 12;

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/api/v1")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void walksEveryFilterByCursorWithoutSkippingOrRepeatingWhileExecutionsArrive() {
		Rows rows = insertRows();
		String n = "&node=" + rows.node;
		walk(rows, "node=" + rows.node, (row) -> true);
		walk(rows, "submittedBy=" + rows.submitter, (row) -> row.submitter.equals(rows.submitter));
		walk(rows, "key=" + rows.key, (row) -> row.key != null);
		walk(rows, "batchId=" + rows.batch, (row) -> row.batch != null);
		walk(rows, "task=add" + n, (row) -> row.task.equals("add"));
		walk(rows, "tag=math" + n, (row) -> row.task.equals("add"));
		walk(rows, "tag=quick" + n, (row) -> true);
		walk(rows, "status=SUCCESSFUL" + n, (row) -> row.status.equals("SUCCESSFUL"));
		walk(rows, "status=RUNNING" + n, (row) -> row.status.equals("RUNNING"));
		walk(rows, "task=greet&status=FAILED" + n, (row) -> row.task.equals("greet") && row.status.equals("FAILED"));
		walk(rows, "trigger=API" + n, (row) -> row.trigger.equals("API"));
		walk(rows, "from=" + rows.from() + "&to=" + rows.to() + n,
				(row) -> row.created.compareTo(rows.from()) >= 0 && row.created.isBefore(rows.to()));
		List<UUID> all = walkIds("size=2", null);
		assertThat(all).doesNotHaveDuplicates();
		assertThat(all.stream().filter(rows.ids()::contains).toList()).containsExactlyElementsOf(rows.newestFirst());
	}

	@Test
	void refusesABadCursor() {
		ResponseEntity<JsonNode> bad = get("/executions?before=nope");
		assertThat(bad.getStatusCode().value()).isEqualTo(400);
		assertThat(bad.getBody().get("detail").asString()).contains("'before'").contains("nope");
		ResponseEntity<JsonNode> short1 = get("/executions?before=1-2-3-4-5");
		assertThat(short1.getStatusCode().value()).isEqualTo(400);
		ResponseEntity<JsonNode> both = get("/executions?page=2&before=" + ExecutionIds.next());
		assertThat(both.getStatusCode().value()).isEqualTo(400);
		assertThat(both.getBody().get("detail").asString()).contains("'before'").contains("'page'");
		ResponseEntity<JsonNode> unknown = get("/executions?node=nobody&before=" + ExecutionIds.next());
		assertThat(unknown.getStatusCode().value()).as("a position, not a lookup").isEqualTo(200);
		assertThat(unknown.getBody().get("content").size()).isZero();
		assertThat(unknown.getBody().get("next").isNull()).isTrue();
	}

	/**
	 * Walks a filter 2 executions a page, storing a matching execution after each page, and checks the
	 * walk gives exactly the matching executions present when it began, newest first.
	 */
	private void walk(Rows rows, String filter, Predicate<Row> matches) {
		List<UUID> expected = rows.newestFirst().stream()
			.filter((id) -> matches.test(rows.row(id)))
			.toList();
		assertThat(expected).as(filter).isNotEmpty();
		ResponseEntity<JsonNode> first = get("/executions?size=2&" + filter);
		assertThat(first.getStatusCode().value()).as(first.getBody().toString()).isEqualTo(200);
		assertThat(first.getBody().get("totalElements").asLong()).as(filter).isEqualTo(Math.min(expected.size(), 5));
		assertThat(first.getBody().get("totalCapped").asBoolean()).as(filter).isEqualTo(expected.size() > 5);
		List<Row> arrived = new ArrayList<>();
		List<UUID> walked = walkIds("size=2&" + filter, () -> {
			Row newer = rows.newer(expected.get(0));
			insert(newer);
			arrived.add(newer);
		});
		assertThat(walked).as(filter).containsExactlyElementsOf(expected);
		// Later walks see them: they are on the same node.
		rows.rows.addAll(arrived);
	}

	private List<UUID> walkIds(String query, Runnable betweenPages) {
		List<UUID> walked = new ArrayList<>();
		String next = null;
		do {
			ResponseEntity<JsonNode> page = get("/executions?" + query + ((next != null) ? "&before=" + next : ""));
			assertThat(page.getStatusCode().value()).as(String.valueOf(page.getBody())).isEqualTo(200);
			JsonNode body = page.getBody();
			body.get("content").forEach((execution) -> walked.add(UUID.fromString(execution.get("id").asString())));
			next = body.get("next").isNull() ? null : body.get("next").asString();
			if (next != null) {
				assertThat(next).isEqualTo(walked.get(walked.size() - 1).toString());
			}
			if (betweenPages != null) {
				betweenPages.run();
			}
			assertThat(walked).as("a walk that ends").hasSizeLessThan(1000);
		}
		while (next != null);
		return walked;
	}

	private ResponseEntity<JsonNode> get(String uri) {
		return this.http.get().uri(uri).retrieve().toEntity(JsonNode.class);
	}

	private Rows insertRows() {
		Rows rows = new Rows("cursor-" + UUID.randomUUID(), "who-" + UUID.randomUUID(), "key-" + UUID.randomUUID(),
				UUID.randomUUID(), new ArrayList<>());
		UUID[] ids = ExecutionIds.next(ROWS);
		String[] finished = { "SUCCESSFUL", "FAILED", "CANCELLED" };
		for (int i = 0; i < ROWS; i++) {
			String task = (i % 2 == 0) ? "add" : "greet";
			// One RUNNING row per task: the key is unique among active executions of a task.
			String status = (i == 4 || i == 5) ? "RUNNING" : finished[i % 3];
			Row row = new Row(ids[i], task, status, (i % 3 == 0) ? "API" : "CODE",
					(i % 4 == 0) ? "someone-else" : rows.submitter, (i % 2 == 0 || i == 5) ? rows.key : null,
					(i >= 6) ? rows.batch : null, rows.node, created(ids[i]));
			rows.rows.add(row);
			insert(row);
		}
		return rows;
	}

	private void insert(Row row) {
		boolean running = row.status.equals("RUNNING");
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, max_attempts,"
				+ " max_concurrency, priority, node, submitted_by, dedup_key, batch_id, created_at, run_at, started_at,"
				+ " finished_at, lease_until) VALUES (?, ?, ?, ?, '{}', 1, 1, 0, 0, ?, ?, ?, ?, CURRENT_TIMESTAMP,"
				+ " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
				+ (running ? "NULL, CURRENT_TIMESTAMP + INTERVAL '1' HOUR" : "CURRENT_TIMESTAMP, NULL") + ")",
				row.id, row.task, row.status, row.trigger, row.node, row.submitter, row.key, row.batch);
	}

	private static Instant created(UUID id) {
		return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
	}

	private record Row(UUID id, String task, String status, String trigger, String submitter, String key, UUID batch,
			String node, Instant created) {
	}

	private record Rows(String node, String submitter, String key, UUID batch, List<Row> rows) {

		Instant from() {
			return this.rows.get(0).created;
		}

		/**
		 * @return just after the first rows were created (the ids of one call may share a millisecond)
		 */
		Instant to() {
			return this.rows.get(ROWS - 1).created.plusMillis(1);
		}

		List<UUID> ids() {
			return this.rows.stream().map(Row::id).toList();
		}

		List<UUID> newestFirst() {
			List<UUID> ids = new ArrayList<>(ids());
			Collections.reverse(ids);
			return ids;
		}

		Row row(UUID id) {
			return this.rows.stream().filter((row) -> row.id.equals(id)).findFirst().orElseThrow();
		}

		/**
		 * @return a finished execution like the given one (so it matches the same filters), stored later
		 */
		Row newer(UUID like) {
			Row row = row(like);
			String status = row.status.equals("RUNNING") ? "RUNNING" : row.status;
			UUID id = ExecutionIds.next();
			// A second active row with the key would break its uniqueness: this one has none.
			return new Row(id, row.task, status, row.trigger, row.submitter, row.status.equals("RUNNING") ? null : row.key,
					row.batch, row.node, created(id));
		}

	}

}
