package dev.backgroundtasks.it.secured;

import java.time.Duration;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.dashboard.Browser;
import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard behind an application's form login with CSRF protection ({@link FormLoginChain}), in
 * Chromium: a reader sees the pages without any action, and the server refuses the reader's forms even
 * with a valid CSRF token; an operator acts, and is recorded as the submitter.
 */
@ExtendWith(Browser.Available.class)
@SpringBootTest(classes = { SecuredTasksApplication.class, FormLoginChain.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.autoconfigure.exclude=")
abstract class AbstractDashboardAccessBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ExecutionQueries queries;

	Browser browser;

	@BeforeEach
	void startBrowser() {
		this.browser = new Browser();
	}

	@AfterEach
	void stopBrowser() {
		this.browser.close();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private void logIn(String user) {
		// Asked for the dashboard first, the login lands back on it (the application has no page at /).
		this.browser.open(url("/background-tasks/nodes"));
		this.browser.waiting(WAIT).until(ExpectedConditions.urlContains("/login"));
		this.browser.find("#username").sendKeys(user);
		this.browser.find("#password").sendKeys(SecuredTasksApplication.PASSWORD);
		this.browser.find("button[type='submit']").click();
		this.browser.waiting(WAIT).until(ExpectedConditions.urlContains("/background-tasks/nodes"));
		this.browser.waiting(WAIT)
			.until((driver) -> "complete".equals(this.browser.script("return document.readyState")));
		// The login page has no icon of its own: the browser's request for /favicon.ico is not the dashboard's.
		this.browser.clearConsole();
	}

	@Test
	void aReaderSeesNoActionAndAForgedPostIsRefused() {
		logIn("reader");
		this.browser.open(url("/background-tasks/tasks/greet"));
		assertThat(this.browser.find("h1").getText()).isEqualTo("greet");
		assertThat(this.browser.findAll("form")).isEmpty();
		assertThat(this.browser.findAll("button")).isEmpty();
		assertThat(this.browser.find(".role").getText()).isEqualTo("reader");
		this.browser.open(url("/background-tasks/executions"));
		assertThat(this.browser.findAll("input[type='checkbox']")).isEmpty();
		assertThat(this.browser.findAll("form[method='post']")).isEmpty();
		this.browser.screenshot("reader-executions");

		long before = executions();
		// A valid CSRF token of the reader's own session: the application's filter lets the form through,
		// the starter refuses it.
		Object status = this.browser.asyncScript("""
				var done = arguments[arguments.length - 1];
				fetch('/csrf').then(function (r) { return r.json(); }).then(function (token) {
					var form = new URLSearchParams();
					form.append(token.parameterName, token.token);
					form.append('param.name', 'forged');
					return fetch('/background-tasks/tasks/greet/run', { method: 'POST', body: form, redirect: 'manual' });
				}).then(function (r) { done(r.status); }, function (e) { done('error ' + e); });
				""");
		assertThat(status).isEqualTo(403L);
		Object withoutToken = this.browser.asyncScript("""
				var done = arguments[arguments.length - 1];
				var form = new URLSearchParams();
				form.append('param.name', 'forged');
				fetch('/background-tasks/tasks/greet/run', { method: 'POST', body: form, redirect: 'manual' })
					.then(function (r) { done(r.status); }, function (e) { done('error ' + e); });
				""");
		assertThat(withoutToken).isEqualTo(403L);
		assertThat(executions()).isEqualTo(before);
	}

	@Test
	void anOperatorRunsATaskAndIsRecordedAsItsSubmitter() {
		logIn("operator");
		this.browser.open(url("/background-tasks/tasks/greet"));
		assertThat(this.browser.find(".role").getText()).isEqualTo("operator");
		this.browser.find("#field-param-name").sendKeys("Operator");
		this.browser.find("form.run button[type='submit']").click();
		this.browser.waiting(WAIT)
			.until(ExpectedConditions.urlMatches("/background-tasks/executions/[0-9a-f-]{36}$"));
		UUID id = UUID.fromString(this.browser.find("h1 code").getText());
		await().atMost(WAIT)
			.until(() -> this.queries.find(id).map(Execution::status).orElseThrow() == TaskStatus.SUCCESSFUL);
		Execution execution = this.queries.find(id).orElseThrow();
		assertThat(execution.submittedBy()).isEqualTo("operator");
		assertThat(execution.result()).isEqualTo("Hello, Operator!");
		this.browser.open(url("/background-tasks/executions"));
		assertThat(this.browser.findAll("input[type='checkbox'][name='id']")).isNotEmpty();
		assertThat(this.browser.findAll(".bulk button")).hasSize(4);
		// The dashboard's pages declare their own icon: a request for /favicon.ico comes from the login page.
		assertThat(this.browser.consoleErrors()).filteredOn((error) -> !error.contains("/favicon.ico ")).isEmpty();
		this.browser.find("a[href$='" + id + "']").click();
		assertThat(this.browser.find(".facts").getText()).contains("Submitted by\noperator");
	}

	private long executions() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

}
