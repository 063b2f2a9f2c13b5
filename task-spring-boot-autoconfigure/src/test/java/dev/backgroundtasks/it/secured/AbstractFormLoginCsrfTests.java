package dev.backgroundtasks.it.secured;

import java.time.Duration;
import java.util.UUID;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.secured.SecuredHttp.Response;
import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's path through an application with form login and CSRF protection ({@link FormLoginChain}):
 * log in through the login form, then call the starter's endpoints in that session. Every {@code POST}
 * needs the session's CSRF token, checked by the application's own CSRF filter before the starter sees
 * the request; with it, the starter checks the authority. The subclasses send the token the two ways a
 * browser client does.
 */
@SpringBootTest(classes = { SecuredTasksApplication.class, FormLoginChain.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.autoconfigure.exclude=",
				"spring.datasource.url=jdbc:h2:mem:form-login-${random.uuid};DB_CLOSE_DELAY=-1" })
abstract class AbstractFormLoginCsrfTests {

	private static final String EXECUTE = "/api/v1/tasks/greet/$execute";

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	JdbcTemplate jdbc;

	/**
	 * @param browser a client logged in
	 * @return the name and the value of the header that carries the session's CSRF token
	 */
	abstract String[] csrfHeader(SecuredHttp browser);

	@Test
	void operatorPostsWithTheTokenOnlyAndEveryPostWorks() {
		SecuredHttp browser = SecuredHttp.formLogin(this.port, "operator");
		assertThat(browser.get("/api/v1/tasks").status()).isEqualTo(200);
		long executions = countExecutions();
		Response withoutToken = browser.post(EXECUTE, "application/json", "{\"params\":{\"name\":\"forged\"}}");
		assertThat(withoutToken.status()).as(withoutToken.toString()).isEqualTo(403);
		assertThat(withoutToken.isProblem()).as("refused by the application's CSRF filter, not by the starter")
			.isFalse();
		assertThat(countExecutions()).isEqualTo(executions);

		String[] token = csrfHeader(browser);
		Response executed = browser.post(EXECUTE, "application/json", "{\"params\":{\"name\":\"browser\"}}", token);
		assertThat(executed.status()).as(executed.toString()).isEqualTo(202);
		UUID ready = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		assertThat(browser.post("/api/v1/executions/" + ready + "/$cancel", null, null).status()).isEqualTo(403);
		assertThat(browser.post("/api/v1/executions/" + ready + "/$cancel", null, null, token).status())
			.isEqualTo(202);
		assertThat(this.tasks.handle(ready).status()).isEqualTo(TaskStatus.CANCELLED);
		assertThat(browser.post("/api/v1/executions/" + ready + "/$retry", null, null, token).status())
			.isEqualTo(202);
		assertThat(browser.post("/api/v1/tasks/quiet/$disable", null, null, token).status()).isEqualTo(200);
		assertThat(browser.post("/api/v1/tasks/quiet/$enable", null, null, token).status()).isEqualTo(200);
	}

	@Test
	void readerWithTheTokenIsRefusedByTheStarter() {
		SecuredHttp browser = SecuredHttp.formLogin(this.port, "reader");
		assertThat(browser.get("/api/v1/executions").status()).isEqualTo(200);
		Response refused = browser.post(EXECUTE, "application/json", "{}", csrfHeader(browser));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.json().get("detail").asString()).startsWith("User 'reader' may not operate");
	}

	@Test
	void userWithoutAuthorityLogsInButReadsNothing() {
		Response refused = SecuredHttp.formLogin(this.port, "nobody").get("/api/v1/tasks");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().get("detail").asString()).startsWith("User 'nobody' may not read");
	}

	@Test
	void anonymousBrowserIsSentToTheLoginFormByTheApplicationsRules() {
		Response response = SecuredHttp.anonymous(this.port).send("GET", "/api/v1/tasks", null, null, "Accept",
				"text/html");
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.location()).endsWith("/login");
	}

	private long countExecutions() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

}
