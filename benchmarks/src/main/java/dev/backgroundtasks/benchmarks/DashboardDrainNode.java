package dev.backgroundtasks.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The draining node of {@link DashboardDrainBenchmark}: ours as a web application, with the REST API, its
 * event stream and the dashboard on {@code server.port}, the library's defaults but 8 worker threads
 * (as in the suite's drain), and the suite's no-op task. Every task waits, uncounted, until the file
 * {@code bench.gateFile} exists, so that the dashboard's clients connect before the drain starts. Prints
 * {@code BENCH-READY} once it serves, then {@code BENCH-RESULT} with the drain figures ({@link Jdbc#awaitDrain},
 * timed after {@code bench.drainWarmupRows} tasks) and what {@link CpuUsage} took over the timed part.
 */
public final class DashboardDrainNode {

	private DashboardDrainNode() {
	}

	public static void main(String[] args) throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		DrainCounter.holdUntil(gate);
		long rows = Bench.integer("rows", 250_000);
		try (ConfigurableApplicationContext context = start()) {
			DataSource dataSource = context.getBean(DataSource.class);
			Bench.ready();
			Path gateFile = Path.of(Bench.required("gateFile"));
			while (!Files.exists(gateFile)) {
				Bench.sleep(5);
			}
			CpuUsage cpu = new CpuUsage(dataSource);
			Thread starts = new Thread(() -> {
				while (DrainCounter.firstStartNanos() == 0) {
					Bench.sleep(1);
				}
				cpu.start();
			}, "bench-cpu-start");
			starts.setDaemon(true);
			starts.start();
			gate.countDown();
			Map<String, Object> figures = Jdbc.awaitDrain(rows, dataSource,
					"SELECT count(*) FROM bgt_execution WHERE status IN ('READY', 'RUNNING')", (left) -> left == 0);
			starts.join(TimeUnit.SECONDS.toMillis(10));
			figures.putAll(cpu.since());
			figures.put("failed",
					Jdbc.queryLong(dataSource, "SELECT count(*) FROM bgt_execution WHERE status <> 'SUCCESSFUL'"));
			Bench.result(figures);
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(OursBenchmark.App.class).web(WebApplicationType.SERVLET)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"spring.datasource.url=" + Bench.jdbcUrl(), "spring.datasource.username=" + Bench.str("user", "postgres"),
					"spring.datasource.password=" + Bench.str("password", ""), "spring.jpa.hibernate.ddl-auto=none",
					"spring.jpa.open-in-view=false", "spring.flyway.enabled=false",
					"background-tasks.worker.concurrency=8", "server.port=" + Bench.required("port"))
			.run();
	}

}
