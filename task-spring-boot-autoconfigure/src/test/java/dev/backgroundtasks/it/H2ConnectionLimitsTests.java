package dev.backgroundtasks.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.app.TestTasksApplication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each node serves at most {@code background-tasks.web.max-stream-subscribers} event stream clients and
 * {@code max-long-polls} long-polls at once (two each here); one more gets {@code 503} with
 * {@code Retry-After} and a problem naming the limit, and a place frees when a connection ends.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:limits-${random.uuid};DB_CLOSE_DELAY=-1",
				"background-tasks.web.max-stream-subscribers=2", "background-tasks.web.max-long-polls=2",
				"background-tasks.web.stream-keep-alive=100ms" })
@Import(H2ConnectionLimitsTests.CountWaitingLongPolls.class)
class H2ConnectionLimitsTests {

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	AtomicInteger waitingLongPolls;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();

	@Test
	void aStreamClientBeyondTheLimitGets503WithRetryAfterUntilAnotherLeaves() throws Exception {
		try (SseClient first = SseClient.open(api("/executions/stream"));
				SseClient second = SseClient.open(api("/executions/stream?task=greet"))) {
			assertThat(first.status()).isEqualTo(200);
			assertThat(second.status()).isEqualTo(200);
			HttpResponse<String> refused = get("/executions/stream", MediaType.TEXT_EVENT_STREAM_VALUE);
			assertRefused(refused, "background-tasks.web.max-stream-subscribers",
					"This node already holds 2 open event stream connections, the most"
							+ " background-tasks.web.max-stream-subscribers allows; try again later");
			first.close();
			// The server notices at its next write (a keep-alive every 100 ms) and frees the place.
			SseClient third = await().atMost(CLIENT_TIMEOUT)
				.until(() -> SseClient.open(api("/executions/stream")), (client) -> acceptedOrClosed(client));
			try (third) {
				assertThat(get("/executions/stream", MediaType.TEXT_EVENT_STREAM_VALUE).statusCode()).isEqualTo(503);
			}
		}
	}

	@Test
	void aLongPollBeyondTheLimitGets503WithRetryAfterUntilAnotherEnds() throws Exception {
		int before = this.waitingLongPolls.get();
		TaskHandle first = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
		TaskHandle second = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
		CompletableFuture<HttpResponse<String>> firstPoll = this.http.sendAsync(
				request("/executions/" + first.id() + "?wait=PT30S", "*/*"), BodyHandlers.ofString());
		CompletableFuture<HttpResponse<String>> secondPoll = this.http.sendAsync(
				request("/executions/" + second.id() + "?wait=PT30S", "*/*"), BodyHandlers.ofString());
		await().atMost(CLIENT_TIMEOUT).until(() -> this.waitingLongPolls.get() == before + 2);
		HttpResponse<String> refused = get("/executions/" + first.id() + "?wait=PT0S", "*/*");
		assertRefused(refused, "background-tasks.web.max-long-polls", "This node already holds 2 open long-polls,"
				+ " the most background-tasks.web.max-long-polls allows; try again later");
		// A plain read is no long-poll.
		assertThat(get("/executions/" + first.id(), "*/*").statusCode()).isEqualTo(200);
		first.cancel();
		HttpResponse<String> ended = firstPoll.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(ended.statusCode()).isEqualTo(200);
		assertThat(ended.body()).contains("\"status\":\"" + TaskStatus.CANCELLED + "\"");
		// Its place is free once its request has ended, and a long-poll that answers at once gives it back.
		await().atMost(CLIENT_TIMEOUT)
			.until(() -> get("/executions/" + first.id() + "?wait=PT10S", "*/*").statusCode() == 200);
		for (int i = 0; i < 5; i++) {
			assertThat(get("/executions/" + first.id() + "?wait=PT10S", "*/*").statusCode()).isEqualTo(200);
		}
		second.cancel();
		assertThat(secondPoll.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode())
			.isEqualTo(200);
	}

	private static boolean acceptedOrClosed(SseClient client) {
		if (client.status() == 200) {
			return true;
		}
		client.close();
		return false;
	}

	private static void assertRefused(HttpResponse<String> refused, String property, String detail) {
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(refused.headers().firstValue("Content-Type")).hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		JsonNode problem = JsonMapper.builder().build().readTree(refused.body());
		assertThat(problem.get("status").asInt()).isEqualTo(503);
		assertThat(problem.get("title").asString()).isEqualTo("Too many connections");
		assertThat(problem.get("detail").asString()).isEqualTo(detail);
		assertThat(problem.get("limit").asString()).isEqualTo(property);
		assertThat(problem.get("max").asInt()).isEqualTo(2);
	}

	private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		return this.http.send(request(path, accept), BodyHandlers.ofString());
	}

	private HttpRequest request(String path, String accept) {
		return HttpRequest.newBuilder(URI.create(api(path))).header("Accept", accept).timeout(CLIENT_TIMEOUT).build();
	}

	private String api(String path) {
		return "http://localhost:" + this.port + "/api/v1" + path;
	}

	/**
	 * Counts long-polls that the server holds open: requests with {@code wait} that went asynchronous.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class CountWaitingLongPolls {

		@Bean
		AtomicInteger waitingLongPolls() {
			return new AtomicInteger();
		}

		@Bean
		OncePerRequestFilter waitingLongPollCounter(AtomicInteger waitingLongPolls) {
			return new OncePerRequestFilter() {

				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					chain.doFilter(request, response);
					if (request.getParameter("wait") != null && request.isAsyncStarted()) {
						waitingLongPolls.incrementAndGet();
					}
				}

			};
		}

	}

}
