package dev.backgroundtasks.it.secured;

import java.time.Duration;
import java.util.UUID;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.it.secured.SecuredHttp.Response;
import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that declares no security filter chain: Spring Boot's default one authenticates every
 * request (form login and HTTP Basic, CSRF protection on), and the starter's checks come on top.
 */
@SpringBootTest(classes = SecuredTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=",
				"spring.datasource.url=jdbc:h2:mem:boot-chain-${random.uuid};DB_CLOSE_DELAY=-1" })
class BootDefaultSecurityChainTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Test
	void anonymousIsRefusedByBootsChain() {
		Response response = SecuredHttp.anonymous(this.port).send("GET", "/api/v1/tasks", null, null, "Accept",
				"application/json");
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void readerReadsEveryWayIncludingAsyncRequests() {
		SecuredHttp reader = SecuredHttp.basic(this.port, "reader");
		assertThat(reader.get("/api/v1/tasks").status()).isEqualTo(200);
		UUID ready = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		Response longPoll = reader.get("/api/v1/executions/" + ready + "?wait=PT1S");
		assertThat(longPoll.status()).as(longPoll.toString()).isEqualTo(200);
		assertThat(longPoll.json().get("status").asString()).isEqualTo("READY");
		Response stream = reader.get("/api/v1/executions/stream");
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.contentType()).startsWith("text/event-stream");
	}

	@Test
	void authenticatedUserWithoutAuthorityIsRefusedByTheStarter() {
		Response response = SecuredHttp.basic(this.port, "nobody").get("/api/v1/tasks");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.isProblem()).isTrue();
		assertThat(response.json().get("detail").asString()).startsWith("User 'nobody' may not read");
	}

	@Test
	void operatorPostsWithTheCsrfTokenOfBootsChain() {
		SecuredHttp operator = SecuredHttp.basic(this.port, "operator");
		Response withoutToken = operator.post("/api/v1/tasks/greet/$execute", null, null);
		// Boot's chain checks the token before it authenticates: the refusal may say either.
		assertThat(withoutToken.status()).as(withoutToken.toString()).isIn(401, 403);
		assertThat(withoutToken.isProblem()).as("refused by the CSRF filter of Boot's chain").isFalse();
		// The token of the session, from a page that renders it: here Boot's login page.
		String token = operator.get("/login").csrfInputValue();
		Response executed = operator.post("/api/v1/tasks/greet/$execute", null, null, "X-CSRF-TOKEN", token);
		assertThat(executed.status()).as(executed.toString()).isEqualTo(202);
	}

}
