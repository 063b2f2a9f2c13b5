package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.event.TaskExecutionListener;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who submitted and who cancelled an execution: recorded from the principal of the thread's Spring
 * Security context (REST calls have the request's), shown in the JSON, filterable in listings and given
 * to listeners. Run against H2 and PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = { TestTasksApplication.class, AbstractAuditTests.Listener.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class AbstractAuditTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	ExecutionQueries queries;

	@Autowired
	Listener listener;

	@AfterEach
	void clearContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aSubmissionFromCodeRecordsTheAuthenticatedPrincipal() {
		authenticate("alice");
		TaskHandle handle = this.tasks.submit("add", Map.of("a", 1, "b", 2));
		SecurityContextHolder.clearContext();
		handle.await(Duration.ofSeconds(10));
		Execution execution = handle.execution();
		assertThat(execution.submittedBy()).isEqualTo("alice");
		assertThat(execution.cancelledBy()).isNull();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.listener.completed).filteredOn((done) -> done.id().equals(handle.id()))
				.singleElement()
				.extracting(Execution::submittedBy)
				.isEqualTo("alice"));
	}

	@Test
	void nobodyIsRecordedWithoutAnAuthenticatedPrincipal() {
		assertThat(this.tasks.submit("add", Map.of("a", 1, "b", 2)).execution().submittedBy()).isNull();
		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		assertThat(this.tasks.submit("add", Map.of("a", 1, "b", 2)).execution().submittedBy()).isNull();
	}

	@Test
	void aCancelRecordsWhoCancelled() {
		authenticate("alice");
		TaskHandle handle = this.tasks.task("add").param("a", 1).param("b", 2).delay(Duration.ofHours(1)).submit();
		authenticate("bob");
		handle.cancel();
		Execution cancelled = handle.execution();
		assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
		assertThat(cancelled.submittedBy()).isEqualTo("alice");
		assertThat(cancelled.cancelledBy()).isEqualTo("bob");
	}

	@Test
	void listingsFilterBySubmitterAloneOrWithTaskAndStatus() {
		String carol = "carol-" + UUID.randomUUID();
		authenticate(carol);
		UUID first = this.tasks.task("add").param("a", 1).param("b", 2).delay(Duration.ofHours(1)).submit().id();
		UUID second = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		SecurityContextHolder.clearContext();
		UUID other = this.tasks.task("add").param("a", 1).param("b", 2).delay(Duration.ofHours(1)).submit().id();
		assertThat(ids(new ExecutionFilter(null, null, carol))).containsExactly(second, first);
		assertThat(ids(new ExecutionFilter("add", null, carol))).containsExactly(first);
		assertThat(ids(new ExecutionFilter("add", TaskStatus.READY, carol))).containsExactly(first);
		assertThat(ids(new ExecutionFilter(null, TaskStatus.READY, carol))).containsExactly(second, first);
		assertThat(ids(new ExecutionFilter("add", TaskStatus.SUCCESSFUL, carol))).isEmpty();
		assertThat(ids(new ExecutionFilter("add", null, null))).contains(first, other);
		assertThat(this.queries.page(new ExecutionFilter("add", null, carol), 0, 10).totalElements()).isOne();
		JsonNode page = RestClient.create("http://localhost:" + this.port + "/api/v1")
			.get()
			.uri("/executions?submittedBy={who}", carol)
			.retrieve()
			.body(JsonNode.class);
		assertThat(page.get("content")).hasSize(2);
		assertThat(page.get("content").get(0).get("submittedBy").asString()).isEqualTo(carol);
		assertThat(page.get("content").get(0).get("id").asString()).isEqualTo(second.toString());
	}

	private List<UUID> ids(ExecutionFilter filter) {
		return this.queries.page(filter, 0, 50).content().stream().map(Execution::id).toList();
	}

	private static void authenticate(String name) {
		SecurityContextHolder.getContext()
			.setAuthentication(new TestingAuthenticationToken(name, "n/a", AuthorityUtils.NO_AUTHORITIES));
		SecurityContextHolder.getContext().getAuthentication().setAuthenticated(true);
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener implements TaskExecutionListener {

		final List<Execution> completed = new CopyOnWriteArrayList<>();

		@Override
		public void onComplete(Execution execution) {
			this.completed.add(execution);
		}

	}

}
