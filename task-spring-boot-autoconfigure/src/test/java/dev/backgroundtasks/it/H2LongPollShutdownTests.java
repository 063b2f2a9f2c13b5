package dev.backgroundtasks.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.web.TaskQueryController;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the application answers the long-polls still open with the execution as it is, before the web
 * server's graceful shutdown would wait for them until their wait is over.
 */
class H2LongPollShutdownTests {

	@Test
	void stoppingTheApplicationAnswersOpenLongPollsAtOnce() throws Exception {
		// A graceful shutdown and a wait far longer than the wait below: a long-poll left open would hold it.
		ConfigurableApplicationContext context = SpringApplication.run(TestTasksApplication.class,
				"--server.port=0", "--server.shutdown=graceful", "--spring.lifecycle.timeout-per-shutdown-phase=2m",
				"--background-tasks.web.max-wait=2m",
				"--spring.datasource.url=jdbc:h2:mem:long-poll-shutdown;DB_CLOSE_DELAY=-1");
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			// Due in an hour: the long-poll would wait its whole 2 minutes.
			String id = context.getBean(TaskClient.class).task("greet").param("name", "later")
				.delay(Duration.ofHours(1)).submit().id().toString();
			CompletableFuture<HttpResponse<String>> poll = HttpClient.newHttpClient()
				.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/executions/" + id
						+ "?wait=PT2M")).build(), HttpResponse.BodyHandlers.ofString());
			// The long-poll is under way before the application stops.
			await().until(() -> context.getBean(TaskQueryController.class).getOpenLongPolls() == 1);
			CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
			HttpResponse<String> response = poll.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"id\":\"" + id + "\"", "\"status\":\"READY\"");
			await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
		}
		finally {
			context.close();
		}
	}

}
