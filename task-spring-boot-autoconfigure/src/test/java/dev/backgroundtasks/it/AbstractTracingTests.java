package dev.backgroundtasks.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.it.app.TestTasksApplication;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace propagation with a real tracer (Brave through Micrometer Tracing, W3C propagation, Spring
 * Boot's defaults), run on H2 and on PostgreSQL: the trace context current at submission is stored
 * with the execution, and the span of its attempt is a child of the submitting span, in the same trace.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.sampling.probability=1.0", "background-tasks.worker.poll-interval=100ms",
				"spring.datasource.hikari.maximum-pool-size=5" })
@Import(AbstractTracingTests.SpanCollector.class)
// Closed after the class: a cached context would keep its pool of PostgreSQL connections open.
@DirtiesContext
abstract class AbstractTracingTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	TaskClient tasks;

	@Autowired
	Tracer tracer;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	Queue<MutableSpan> spans;

	@LocalServerPort
	int port;

	@Test
	void theAttemptSpanIsAChildOfTheSubmittingSpan() {
		Span request = this.tracer.nextSpan().name("submitting request").start();
		TaskHandle handle;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
			handle = this.tasks.submit("add", Map.of("a", 1, "b", 2));
		}
		finally {
			request.end();
		}
		assertThat(handle.await(WAIT)).isEqualTo(3);
		String stored = this.jdbc.queryForObject("SELECT trace_context FROM bgt_execution WHERE id = ?", String.class,
				handle.id());
		assertThat(stored).startsWith("traceparent: 00-" + request.context().traceId() + "-"
				+ request.context().spanId() + "-");
		MutableSpan attempt = attemptSpan(handle.id());
		assertThat(attempt.traceId()).isEqualTo(request.context().traceId());
		assertThat(attempt.parentId()).isEqualTo(request.context().spanId());
		assertThat(attempt.name()).isEqualTo("task add");
		assertThat(attempt.tags()).containsEntry("task", "add").containsEntry("outcome", "success");
	}

	@Test
	void anExecutionSubmittedOverHttpRunsInTheRequestsTrace() throws Exception {
		String traceId = TraceContext.newBuilder()
			.traceIdHigh(0x0af7651916cd43ddL)
			.traceId(UUID.randomUUID().getLeastSignificantBits())
			.spanId(1)
			.build()
			.traceIdString();
		String callerSpanId = "00f067aa0ba902b7";
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/tasks/greet/$execute"))
				.header("Content-Type", "application/json")
				.header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
				.POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"name\":\"trace\"}}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(202);
		UUID id = UUID.fromString(response.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1"));
		assertThat(this.tasks.handle(id).await(WAIT)).isEqualTo("Hello, trace!");
		MutableSpan attempt = attemptSpan(id);
		assertThat(attempt.traceId()).isEqualTo(traceId);
		MutableSpan server = await().atMost(WAIT)
			.until(() -> this.spans.stream()
				.filter((span) -> span.kind() == brave.Span.Kind.SERVER && traceId.equals(span.traceId()))
				.findFirst(), Optional::isPresent)
			.get();
		assertThat(server.parentId()).isEqualTo(callerSpanId);
		assertThat(attempt.parentId()).isEqualTo(server.id());
	}

	@Test
	void anExecutionSubmittedOutsideATraceStartsItsOwn() {
		TaskHandle handle = this.tasks.submit("greet", Map.of("name", "untraced"));
		handle.await(WAIT);
		assertThat(this.jdbc.queryForObject("SELECT trace_context FROM bgt_execution WHERE id = ?", String.class,
				handle.id()))
			.isNull();
		MutableSpan attempt = attemptSpan(handle.id());
		assertThat(attempt.parentId()).isNull();
		assertThat(attempt.kind()).isEqualTo(brave.Span.Kind.CONSUMER);
	}

	private MutableSpan attemptSpan(UUID id) {
		return await().atMost(WAIT)
			.until(() -> this.spans.stream()
				.filter((span) -> id.toString().equals(span.tag("execution.id")))
				.findFirst(), Optional::isPresent)
			.get();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SpanCollector {

		@Bean
		Queue<MutableSpan> finishedSpans() {
			return new ConcurrentLinkedQueue<>();
		}

		@Bean
		SpanHandler collectingSpanHandler(Queue<MutableSpan> finishedSpans) {
			return new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					finishedSpans.add(span);
					return true;
				}

			};
		}

	}

}
