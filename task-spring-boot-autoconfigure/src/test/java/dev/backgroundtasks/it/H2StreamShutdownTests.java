package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the application ends the open event streams first, so that the web server's graceful
 * shutdown does not wait its whole timeout for responses that never end on their own.
 */
class H2StreamShutdownTests {

	@Test
	void stoppingTheApplicationEndsOpenStreamsBeforeTheGracefulShutdownWaitsForThem() throws Exception {
		// A graceful shutdown far longer than the wait below: a stream left open would hold it that long.
		ConfigurableApplicationContext context = SpringApplication.run(TestTasksApplication.class,
				"--server.port=0", "--server.shutdown=graceful",
				"--spring.lifecycle.timeout-per-shutdown-phase=2m",
				"--spring.datasource.url=jdbc:h2:mem:stream-shutdown;DB_CLOSE_DELAY=-1");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (SseClient stream = SseClient.open("http://localhost:" + port + "/api/v1/executions/stream")) {
			assertThat(stream.status()).isEqualTo(200);
			await().until(() -> stream.comments().contains("connected"));
			CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(30)).until(stream::ended);
			await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
			assertThat(closed).isCompleted();
		}
		finally {
			context.close();
		}
	}

}
