package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the REST API shows and accepts of tasks that are not for everyone: tasks that only code may
 * submit ({@code remote = false}, by annotation or configuration), sensitive parameters (masked in every
 * response and message, stored and passed as submitted) and stack traces (here without Spring Security,
 * where the default policy shows them to everyone; {@code never} hides them). Run against H2 and
 * PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = { TestTasksApplication.class, AbstractExposureTests.GuardedTasks.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "background-tasks.tasks.count.remote=false")
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractExposureTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ExecutionStore store;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void aTaskThatIsNotRemoteIsListedButOnlyCodeSubmitsIt() {
		JsonNode info = get("/tasks/internalOnly").getBody();
		assertThat(info.get("remote").asBoolean()).isFalse();
		assertThat(get("/tasks/greet").getBody().get("remote").asBoolean()).isTrue();
		ResponseEntity<JsonNode> refused = post("/tasks/internalOnly/$execute", "{}");
		AbstractEndToEndTests.assertProblem(refused, 403, "Task 'internalOnly' cannot be executed over the REST API");
		assertThat(refused.getBody().get("task").asString()).isEqualTo("internalOnly");
		TaskHandle handle = this.tasks.submit("internalOnly", Map.of());
		assertThat(handle.await(Duration.ofSeconds(10))).isEqualTo("ran");
		assertThat(get("/executions/" + handle.id()).getBody().get("status").asString()).isEqualTo("SUCCESSFUL");
	}

	@Test
	void aTaskThatIsNotRemoteIsNeitherAMemberNorTheCallbackOfABatchOverRest() {
		long before = count();
		ResponseEntity<JsonNode> member = post("/batches", "{\"executions\":[{\"task\":\"greet\",\"params\":"
				+ "{\"name\":\"a\"}},{\"task\":\"internalOnly\"}]}");
		AbstractEndToEndTests.assertProblem(member, 403,
				"Task 'internalOnly' cannot be submitted in a batch (executions[1]) over the REST API");
		assertThat(member.getBody().get("task").asString()).isEqualTo("internalOnly");
		AbstractEndToEndTests.assertProblem(post("/batches", "{\"executions\":[{\"task\":\"greet\",\"params\":"
				+ "{\"name\":\"a\"}}],\"onComplete\":{\"task\":\"internalOnly\"}}"), 403,
				"Task 'internalOnly' cannot be a batch's callback (onComplete) over the REST API");
		assertThat(count()).isEqualTo(before);
		assertThat(this.tasks.batch().add("internalOnly", Map.of()).submit().size()).as("code still can").isEqualTo(1);
	}

	@Test
	void configurationKeepsATaskFromTheRestApi() {
		assertThat(get("/tasks/count").getBody().get("remote").asBoolean()).isFalse();
		AbstractEndToEndTests.assertProblem(post("/tasks/count/$execute", "{\"params\":{\"key\":1}}"), 403,
				"background-tasks.tasks.count.remote=false");
	}

	@Test
	void anExecutionOfATaskThatIsNotRemoteIsNotRetriedOverRest() {
		TaskHandle failed = this.tasks.submit("internalFailing", Map.of());
		await().atMost(Duration.ofSeconds(10)).until(() -> failed.status() == TaskStatus.FAILED);
		long before = count();
		AbstractEndToEndTests.assertProblem(post("/executions/" + failed.id() + "/$retry", null), 403,
				"Task 'internalFailing' cannot be retried over the REST API");
		assertThat(count()).isEqualTo(before);
		assertThat(this.tasks.retry(failed.id()).id()).isNotEqualTo(failed.id());
	}

	@Test
	void sensitiveValuesAreStoredAndPassedButMaskedInEveryResponse() {
		ResponseEntity<JsonNode> accepted = post("/tasks/login/$execute",
				"{\"params\":{\"user\":\"ada\",\"password\":\"s3cret-pw\"}}");
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		assertThat(accepted.getBody().get("params").get("password").asString()).isEqualTo(TaskParam.MASK);
		assertThat(accepted.getBody().get("params").get("user").asString()).isEqualTo("ada");
		String id = accepted.getBody().get("id").asString();
		JsonNode done = get("/executions/" + id + "?wait=PT10S").getBody();
		assertThat(done.get("status").asString()).isEqualTo("SUCCESSFUL");
		assertThat(done.get("result").asString()).as("the task received the real value").isEqualTo("ada:9");
		assertThat(done.get("params").get("password").asString()).isEqualTo(TaskParam.MASK);
		assertThat(get("/executions/" + id).getBody().get("params").get("password").asString())
			.isEqualTo(TaskParam.MASK);
		assertThat(get("/executions?task=login").getBody().toString()).doesNotContain("s3cret-pw")
			.contains(TaskParam.MASK);
		assertThat(this.jdbc.queryForObject("SELECT params FROM bgt_execution WHERE id = ?", String.class,
				UUID.fromString(id)))
			.as("stored as submitted")
			.contains("s3cret-pw");
	}

	@Test
	void sensitiveParametersAreMarkedAndTheirDefaultsMasked() {
		JsonNode parameters = get("/tasks/login").getBody().get("parameters");
		assertThat(parameters.get(0).get("name").asString()).isEqualTo("user");
		assertThat(parameters.get(0).get("sensitive").asBoolean()).isFalse();
		assertThat(parameters.get(1).get("name").asString()).isEqualTo("password");
		assertThat(parameters.get(1).get("sensitive").asBoolean()).isTrue();
		assertThat(parameters.get(2).get("name").asString()).isEqualTo("pin");
		assertThat(parameters.get(2).get("defaultValue").asString()).isEqualTo(TaskParam.MASK);
		assertThat(get("/tasks").getBody().toString()).doesNotContain("4711");
	}

	@Test
	void anInvalidSensitiveValueIsNotEchoed() {
		ResponseEntity<JsonNode> invalid = post("/tasks/login/$execute",
				"{\"params\":{\"user\":\"ada\",\"password\":\"pw\",\"pin\":\"secret-pin-value\"}}");
		AbstractEndToEndTests.assertProblem(invalid, 400, "expected int");
		assertThat(invalid.getBody().toString()).doesNotContain("secret-pin-value").contains("pin");
	}

	@Test
	void aSensitiveValueThatNoLongerBindsIsNeitherLoggedNorShown(CapturedOutput output) {
		// Stored by an older version of the task, say: binding fails when the attempt runs.
		UUID id = ExecutionIds.next();
		this.store.insert(NewExecution.of(id, "login", TaskTrigger.CODE,
				"{\"user\":\"ada\",\"password\":\"pw\",\"pin\":\"stale-secret-pin\"}"));
		// Handed back for a node whose version binds them (failed after the grace, 10 minutes by default).
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			JsonNode execution = get("/executions/" + id).getBody();
			return execution.get("error") != null && !execution.get("error").isNull();
		});
		JsonNode handedBack = get("/executions/" + id).getBody();
		assertThat(handedBack.get("status").asString()).isIn("READY", "RUNNING");
		assertThat(handedBack.get("error").get("message").asString()).contains("pin").doesNotContain("stale-secret-pin");
		assertThat(handedBack.toString()).doesNotContain("stale-secret-pin");
		assertThat(output.getAll()).contains(id.toString()).doesNotContain("stale-secret-pin");
	}

	@Test
	void stackTracesAreShownToEveryoneWithoutSpringSecurity() {
		ResponseEntity<JsonNode> accepted = post("/tasks/explode/$execute", "{\"params\":{\"reason\":\"boom\"}}");
		JsonNode failed = get("/executions/" + accepted.getBody().get("id").asString() + "?wait=PT10S").getBody();
		assertThat(failed.get("status").asString()).isEqualTo("FAILED");
		assertThat(failed.get("error").get("stackTrace").asString()).contains("at dev.backgroundtasks.it.app");
	}

	private long count() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

	private ResponseEntity<JsonNode> get(String path) {
		return this.api.get(path);
	}

	private ResponseEntity<JsonNode> post(String path, String body) {
		return this.api.post(path, body);
	}

	@Configuration(proxyBeanMethods = false)
	static class GuardedTasks {

		@BackgroundTask(remote = false, description = "Runs only when code submits it")
		public String internalOnly() {
			return "ran";
		}

		@BackgroundTask(remote = false, retry = @Retry(maxAttempts = 1))
		public void internalFailing() {
			throw new IllegalStateException("internal failure");
		}

		@BackgroundTask
		public String login(String user, @TaskParam(sensitive = true) String password,
				@TaskParam(sensitive = true, defaultValue = "4711") int pin) {
			return user + ":" + password.length();
		}

	}

}
