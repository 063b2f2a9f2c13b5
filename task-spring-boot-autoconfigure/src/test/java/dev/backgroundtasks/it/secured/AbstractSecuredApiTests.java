package dev.backgroundtasks.it.secured;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.secured.SecuredHttp.Response;
import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the starter, called by every kind of caller, through an application's own security
 * filter chain that lets anyone reach {@code /api/**} with HTTP Basic ({@link PermitAllApiChain}): the
 * starter alone answers 401 and 403, by authority, and a refused call changes nothing. Run against H2
 * and against PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = { SecuredTasksApplication.class, PermitAllApiChain.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.autoconfigure.exclude=")
abstract class AbstractSecuredApiTests {

	private static final String READ_AUTHORITIES = "[BACKGROUND_TASKS_READ, BACKGROUND_TASKS_OPERATE]";

	private static final String OPERATE_AUTHORITIES = "[BACKGROUND_TASKS_OPERATE]";

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	JdbcTemplate jdbc;

	/**
	 * The endpoints, with the answer an operator gets. {@code {ready}} is an execution waiting to run,
	 * {@code {cancelled}} a finished one.
	 */
	enum Endpoint {

		LIST_TASKS("GET", "/tasks", 200),

		GET_TASK("GET", "/tasks/greet", 200),

		LIST_EXECUTIONS("GET", "/executions?task=greet", 200),

		GET_EXECUTION("GET", "/executions/{cancelled}", 200),

		LONG_POLL("GET", "/executions/{cancelled}?wait=PT5S", 200),

		ATTEMPTS("GET", "/executions/{cancelled}/attempts", 200),

		STREAM("GET", "/executions/stream?task=greet", 200),

		EXECUTE("POST", "/tasks/greet/$execute", 202),

		CANCEL("POST", "/executions/{ready}/$cancel", 202),

		RETRY("POST", "/executions/{cancelled}/$retry", 202),

		ENABLE("POST", "/tasks/quiet/$enable", 200),

		DISABLE("POST", "/tasks/quiet/$disable", 200),

		SUBMIT_BATCH("POST", "/batches", 202),

		GET_BATCH("GET", "/batches/{batch}", 200);

		final String method;

		final String path;

		final int success;

		Endpoint(String method, String path, int success) {
			this.method = method;
			this.path = path;
			this.success = success;
		}

		boolean operates() {
			return this.method.equals("POST");
		}

	}

	/**
	 * Who calls: the user of each level of access.
	 */
	enum Caller {

		ANONYMOUS(null), NO_AUTHORITY("nobody"), READ("reader"), OPERATE("operator");

		final @Nullable String user;

		Caller(@Nullable String user) {
			this.user = user;
		}

	}

	static Stream<Arguments> everyEndpointByEveryCaller() {
		return Arrays.stream(Endpoint.values())
			.flatMap((endpoint) -> Arrays.stream(Caller.values()).map((caller) -> Arguments.of(endpoint, caller)));
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource
	void everyEndpointByEveryCaller(Endpoint endpoint, Caller caller) {
		UUID ready = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		TaskHandle cancelled = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
		cancelled.cancel();
		boolean quietEnabled = quietEnabled();
		UUID batch = this.tasks.batch().add("greet", Map.of("name", "batch")).submit().id();
		long executions = countExecutions();
		String path = "/api/v1" + endpoint.path.replace("{ready}", ready.toString())
			.replace("{cancelled}", cancelled.id().toString())
			.replace("{batch}", batch.toString());
		String body = switch (endpoint) {
			case EXECUTE -> "{\"params\":{\"name\":\"matrix\"}}";
			case SUBMIT_BATCH -> "{\"executions\":[{\"task\":\"greet\",\"params\":{\"name\":\"matrix\"}}]}";
			default -> null;
		};
		Response response = SecuredHttp.basic(this.port, caller.user)
			.send(endpoint.method, path, endpoint.operates() ? "application/json" : null, body);
		int expected = switch (caller) {
			case ANONYMOUS -> 401;
			case NO_AUTHORITY -> 403;
			case READ -> endpoint.operates() ? 403 : endpoint.success;
			case OPERATE -> endpoint.success;
		};
		assertThat(response.status()).as(response.toString()).isEqualTo(expected);
		if (expected == 401 || expected == 403) {
			assertThat(response.isProblem()).as(response.toString()).isTrue();
			JsonNode problem = response.json();
			assertThat(problem.get("status").asInt()).isEqualTo(expected);
			assertThat(problem.get("detail").asString())
				.contains(endpoint.operates() ? OPERATE_AUTHORITIES : READ_AUTHORITIES);
			assertThat(problem.get("instance").asString()).isEqualTo(path.replaceAll("\\?.*", ""));
			assertThat(countExecutions()).as("executions stored").isEqualTo(executions);
			assertThat(this.tasks.handle(ready).status()).isEqualTo(TaskStatus.READY);
			assertThat(quietEnabled()).isEqualTo(quietEnabled);
		}
		else {
			assertThat(response.contentType())
				.startsWith((endpoint == Endpoint.STREAM) ? "text/event-stream" : "application/json");
		}
	}

	@Test
	void problemsSayWhatIsMissing() {
		Response anonymous = SecuredHttp.anonymous(this.port).get("/api/v1/tasks");
		assertThat(anonymous.json().get("title").asString()).isEqualTo("Authentication required");
		assertThat(anonymous.json().get("detail").asString()).isEqualTo("Log in to read background tasks: this needs"
				+ " an authenticated user holding one of the authorities " + READ_AUTHORITIES);
		assertThat(anonymous.json().get("requiredAuthorities").valueStream().map(JsonNode::asString))
			.containsExactly("BACKGROUND_TASKS_READ", "BACKGROUND_TASKS_OPERATE");
		Response reader = SecuredHttp.basic(this.port, "reader").post("/api/v1/tasks/greet/$execute", null, null);
		assertThat(reader.json().get("title").asString()).isEqualTo("Missing authority");
		assertThat(reader.json().get("detail").asString()).isEqualTo("User 'reader' may not operate background tasks"
				+ " (execute, cancel, retry, enable, disable): this needs one of the authorities " + OPERATE_AUTHORITIES
				+ " (background-tasks.security.operate-authorities)");
	}

	@Test
	void recordsWhoSubmittedAndCancelledOverRest() {
		SecuredHttp operator = SecuredHttp.basic(this.port, "operator");
		Response submitted = operator.post("/api/v1/tasks/greet/$execute", "application/json",
				"{\"params\":{\"name\":\"audit\"},\"delay\":\"PT1H\"}");
		assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
		assertThat(submitted.json().get("submittedBy").asString()).isEqualTo("operator");
		String id = submitted.json().get("id").asString();
		Response cancelled = operator.post("/api/v1/executions/" + id + "/$cancel", null, null);
		assertThat(cancelled.json().get("cancelledBy").asString()).isEqualTo("operator");
		Response batch = operator.post("/api/v1/batches", "application/json",
				"{\"executions\":[{\"task\":\"greet\",\"params\":{\"name\":\"audit\"}}]}");
		assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
		Response members = operator.get("/api/v1/executions?batchId=" + batch.json().get("id").asString());
		assertThat(members.json().get("content").get(0).get("submittedBy").asString()).isEqualTo("operator");
		Response mine = SecuredHttp.basic(this.port, "reader").get("/api/v1/executions?submittedBy=operator&task=greet");
		assertThat(mine.json().get("content").valueStream().map((execution) -> execution.get("id").asString()))
			.contains(id);
	}

	@Test
	void stackTracesAreShownToOperatorsOnly() {
		String id = this.tasks.submit("fail", Map.of()).id().toString();
		Response failed = SecuredHttp.basic(this.port, "operator").get("/api/v1/executions/" + id + "?wait=PT10S");
		assertThat(failed.json().get("status").asString()).isEqualTo("FAILED");
		assertThat(failed.json().get("error").get("stackTrace").asString()).contains("failed on purpose");
		Response read = SecuredHttp.basic(this.port, "reader").get("/api/v1/executions/" + id);
		assertThat(read.json().get("error").get("message").asString()).isEqualTo("failed on purpose");
		assertThat(read.json().get("error").get("stackTrace").asString()).isEmpty();
		assertThat(SecuredHttp.basic(this.port, "reader").get("/api/v1/executions?task=fail").body())
			.doesNotContain("at dev.backgroundtasks");
		String attempts = "/api/v1/executions/" + id + "/attempts";
		JsonNode operatorsAttempt = SecuredHttp.basic(this.port, "operator").get(attempts).json().get(0);
		assertThat(operatorsAttempt.get("error").get("stackTrace").asString()).contains("failed on purpose");
		JsonNode readersAttempt = SecuredHttp.basic(this.port, "reader").get(attempts).json().get(0);
		assertThat(readersAttempt.get("outcome").asString()).isEqualTo("FAILED");
		assertThat(readersAttempt.get("error").get("message").asString()).isEqualTo("failed on purpose");
		assertThat(readersAttempt.get("error").get("stackTrace").asString()).isEmpty();
	}

	@Test
	void leavesTheApplicationsOwnEndpointsUnderTheBasePathToItsRules() {
		SecuredHttp anonymous = SecuredHttp.anonymous(this.port);
		assertThat(anonymous.get("/api/v1/hello").status()).isEqualTo(200);
		assertThat(anonymous.post("/api/v1/hello", null, null).status()).isEqualTo(200);
	}

	@Test
	void formAndTextBodiesNeverSubmitEvenWithoutCsrfProtection() {
		// A browser sends cached HTTP Basic credentials with a cross-site form; this chain has no CSRF
		// protection for /api/**. Such forms can only send these content types.
		SecuredHttp operator = SecuredHttp.basic(this.port, "operator");
		long executions = countExecutions();
		for (String[] form : new String[][] { { "application/x-www-form-urlencoded", "name=form" },
				{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nform\r\n--b--" },
				{ "text/plain", "{\"params\":{\"name\":\"form\"}}" }, { "application/x-www-form-urlencoded", null } }) {
			Response response = operator.post("/api/v1/tasks/greet/$execute", form[0], form[1]);
			assertThat(response.status()).as(response.toString()).isEqualTo(415);
			assertThat(response.isProblem()).isTrue();
			assertThat(response.json().get("detail").asString()).contains("Content-Type: application/json")
				.contains("got Content-Type '" + form[0] + "'");
		}
		assertThat(countExecutions()).isEqualTo(executions);
		assertThat(operator.post("/api/v1/tasks/greet/$execute", "application/json; charset=UTF-8",
				"{\"params\":{\"name\":\"json\"}}")
			.status()).isEqualTo(202);
	}

	private long countExecutions() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

	private boolean quietEnabled() {
		return SecuredHttp.basic(this.port, "operator").get("/api/v1/tasks/quiet").json().get("enabled").asBoolean();
	}

}
