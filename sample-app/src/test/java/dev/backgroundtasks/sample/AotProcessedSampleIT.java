package dev.backgroundtasks.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application as {@code spring-boot-maven-plugin:process-aot} left it (in the build's
 * prepare-package phase), started in a JVM of its own with {@code -Dspring.aot.enabled=true} on its
 * runtime classpath and an in-memory H2 database: it starts from the generated initializer, not by
 * scanning, and runs tasks submitted over HTTP. Also checks that the starter's hints reached the
 * native-image metadata that processing wrote. Needs the Maven build: failsafe passes where the
 * processed classes and the runtime classpath are (a surefire run picked by {@code -Dtest} has neither, and
 * skips it).
 */
@EnabledIfSystemProperty(named = "aot.classes", matches = ".+",
		disabledReason = "runs in failsafe, after process-aot: mvn -pl sample-app -am verify")
class AotProcessedSampleIT {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port\\D*(\\d+)");

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Path classes = Path.of(requiredProperty("aot.classes"));

	private @Nullable Process app;

	private Path log = Path.of("app.log");

	private String base = "";

	private void startProcessedApplication(Path dir) throws IOException {
		assertThat(this.classes.resolve("dev/backgroundtasks/sample/SampleApplication__ApplicationContextInitializer.class"))
			.as("the initializer process-aot generates; run through Maven (mvn -pl sample-app -am verify)")
			.isRegularFile();
		String runtimeClasspath = Files.readString(Path.of(requiredProperty("aot.runtime-classpath"))).trim();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
				this.classes + java.io.File.pathSeparator + runtimeClasspath, SampleApplication.class.getName(),
				"--server.port=0", "--spring.datasource.url=jdbc:h2:mem:aot-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--background-tasks.node-name=aot-it"));
		this.log = dir.resolve("app.log");
		this.app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(this.log.toFile()).start();
		int port = await("the AOT-processed application to start").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(200))
			.until(this::startedPort, (found) -> found > 0);
		this.base = "http://localhost:" + port + "/api/v1";
	}

	@AfterEach
	void stopApplication() throws InterruptedException {
		if (this.app != null) {
			this.app.destroy();
			if (!this.app.waitFor(20, TimeUnit.SECONDS)) {
				this.app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void runsTasksFromTheGeneratedContext(@TempDir Path dir) throws Exception {
		startProcessedApplication(dir);
		assertThat(log()).contains("Starting AOT-processed SampleApplication");

		JsonNode sum = runToTheEnd("add", "{\"params\":{\"a\":20,\"b\":22}}");
		assertThat(sum.get("result").asInt()).isEqualTo(42);

		// A record result with nested records, dates and decimals: Jackson writes what the AOT path bound
		JsonNode report = runToTheEnd("sales-report", "{\"params\":{\"region\":\"APAC\",\"days\":3}}");
		assertThat(report.get("result").get("region").asString()).isEqualTo("APAC");
		assertThat(report.get("result").get("days").size()).isEqualTo(3);
		assertThat(report.get("node").asString()).isEqualTo("aot-it");
	}

	@Test
	void nativeImageMetadataCarriesTheStartersHints() throws IOException {
		String metadata = nativeImageMetadata();
		// Static hints: the migrations and the entity
		assertThat(metadata).contains("\"dev/backgroundtasks/db/migration/**\"")
			.contains("dev.backgroundtasks.execution.TaskExecution");
		// Per application: the task method, its result record and the record nested in it
		assertThat(metadata).contains("salesReport")
			.contains("dev.backgroundtasks.sample.reports.SalesReport")
			.contains("dev.backgroundtasks.sample.reports.SalesReport$DailySales");
	}

	private JsonNode runToTheEnd(String task, String body) throws Exception {
		HttpResponse<String> submitted = this.http.send(
				HttpRequest.newBuilder(URI.create(this.base + "/tasks/" + task + "/$execute"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		String id = this.json.readTree(submitted.body()).get("id").asString();
		JsonNode execution = await(task + " to finish").atMost(Duration.ofSeconds(30))
			.until(() -> get("/executions/" + id + "?wait=5s"), (e) -> isFinished(e.get("status").asString()));
		assertThat(execution.get("status").asString()).as(execution.toString()).isEqualTo("SUCCESSFUL");
		return execution;
	}

	private JsonNode get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private static boolean isFinished(String status) {
		return status.equals("SUCCESSFUL") || status.equals("FAILED") || status.equals("CANCELLED");
	}

	private int startedPort() throws IOException {
		String output = log();
		assertThat(this.app != null && this.app.isAlive()).as("the application exited early:%n%s", output).isTrue();
		Matcher matcher = PORT.matcher(output);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	private String nativeImageMetadata() throws IOException {
		Path root = this.classes.resolve("META-INF/native-image");
		assertThat(root).as("native-image metadata written by process-aot").isDirectory();
		StringBuilder all = new StringBuilder();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".json")).toList()) {
				// JSON may escape the slashes of resource globs
				all.append(Files.readString(file).replace("\\/", "/"));
			}
		}
		return all.toString();
	}

	private static String requiredProperty(String name) {
		String value = System.getProperty(name);
		assertThat(value).as("system property %s, set by failsafe in sample-app/pom.xml", name).isNotBlank();
		return value;
	}

}
