package dev.backgroundtasks.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.it.app.TestTasksApplication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST long-poll ({@code GET /executions/{id}?wait=…}) holds no request thread while it waits, and
 * answers at the end of its wait even past the container's async timeout. The server has two request
 * threads and the async timeout is one second.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:long-poll-${random.uuid};DB_CLOSE_DELAY=-1",
				"server.tomcat.threads.max=2", "server.tomcat.threads.min-spare=1",
				"spring.mvc.async.request-timeout=1s" })
@Import(H2LongPollTests.CountLongPolls.class)
class H2LongPollTests {

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	AtomicInteger longPolls;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();

	@Test
	void longPollsHoldNoRequestThreadWhileTheyWait() throws Exception {
		int before = this.longPolls.get();
		List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			TaskHandle later = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
			polls.add(this.http.sendAsync(request("/executions/" + later.id() + "?wait=PT15S"), BodyHandlers.ofString()));
		}
		// All four are in the server: with a thread each, they would hold both threads for 15 s.
		await().atMost(CLIENT_TIMEOUT).until(() -> this.longPolls.get() == before + 4);
		HttpResponse<String> tasks = this.http.send(request("/tasks"), BodyHandlers.ofString());
		assertThat(tasks.statusCode()).isEqualTo(200);
		assertThat(tasks.body()).contains("\"greet\"");
		assertThat(polls).noneMatch(CompletableFuture::isDone);
		polls.forEach((poll) -> poll.cancel(true));
	}

	@Test
	void aLongPollAnswersWhenTheExecutionFinishes() throws Exception {
		TaskHandle handle = this.tasks.task("greet").delay(Duration.ofMillis(300)).submit();
		HttpResponse<String> done = this.http.send(request("/executions/" + handle.id() + "?wait=PT20S"),
				BodyHandlers.ofString());
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("\"status\":\"SUCCESSFUL\"");
	}

	@Test
	void aLongPollLongerThanTheAsyncTimeoutAnswersWithTheExecutionAtTheEndOfItsWait() throws Exception {
		TaskHandle later = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
		HttpResponse<String> response = this.http.send(request("/executions/" + later.id() + "?wait=PT2S"),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"id\":\"" + later.id() + "\"").contains("\"status\":\"READY\"");
	}

	@Test
	void aLongPollOfAnUnknownExecutionIsNotFound() throws Exception {
		HttpResponse<String> response = this.http.send(
				request("/executions/0190c5b2-0000-7000-8000-000000000000?wait=PT20S"), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("0190c5b2-0000-7000-8000-000000000000");
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1" + path))
			.timeout(CLIENT_TIMEOUT)
			.build();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class CountLongPolls {

		@Bean
		AtomicInteger longPolls() {
			return new AtomicInteger();
		}

		@Bean
		OncePerRequestFilter longPollCounter(AtomicInteger longPolls) {
			return new OncePerRequestFilter() {

				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					if (request.getParameter("wait") != null) {
						longPolls.incrementAndGet();
					}
					chain.doFilter(request, response);
				}

			};
		}

	}

}
