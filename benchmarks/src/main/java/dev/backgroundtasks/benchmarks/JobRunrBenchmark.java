package dev.backgroundtasks.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson3.Jackson3JsonMapper;

/**
 * JobRunr 8.7.0 OSS, the plain library on a HikariCP pool of 10: a background job server with 8 workers
 * and the smallest poll interval it accepts on a SQL database, 5 s
 * ({@code AbstractStorageProvider.validatePollInterval} rejects less; the default is 15 s).
 */
public final class JobRunrBenchmark {

	private JobRunrBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = Bench.scenario(args);
		boolean server = scenario.equals("drain") || scenario.equals("heap") || scenario.equals("pickup-worker");
		try (HikariDataSource dataSource = Jdbc.pool(Bench.jdbcUrl(), Jdbc.POOL_SIZE)) {
			JobRunr.configure()
				.useJsonMapper(new Jackson3JsonMapper())
				.useStorageProvider(SqlStorageProviderFactory.using(dataSource))
				.useBackgroundJobServerIf(server, BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
					.andWorkerCount(8)
					.andPollInterval(Duration.ofSeconds(Bench.integer("jobrunrPollSeconds", 5))), false)
				.initialize();
			switch (scenario) {
				case "load" -> {
					int rows = Bench.integer("rows", 100_000);
					for (int done = 0; done < rows; done += 1_000) {
						BackgroundJob.enqueue(IntStream.range(0, Math.min(1_000, rows - done)).boxed(), (i) -> JobRunrJobs.noop());
					}
					Bench.result(Map.of("loaded", Jdbc.queryLong(dataSource, "SELECT count(*) FROM jobrunr_jobs")));
				}
				case "drain" -> {
					BackgroundJobServer jobServer = JobRunr.getBackgroundJobServer();
					jobServer.start();
					int rows = Bench.integer("rows", 100_000);
					Map<String, Object> figures = Jdbc.awaitDrain(rows, dataSource,
							"SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'", (done) -> done >= rows);
					jobServer.stop();
					Bench.result(figures);
				}
				case "heap" -> {
					BackgroundJobServer jobServer = JobRunr.getBackgroundJobServer();
					jobServer.start();
					int rows = Bench.integer("rows", 100_000);
					Map<String, Object> figures = HeapDrain.measure(rows, dataSource,
							"SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'", (done) -> done >= rows);
					jobServer.stop();
					Bench.result(figures);
				}
				case "submit-single" -> Bench.result(Submits.single(Bench.integer("submitThreads", 4),
						Bench.integer("submitRows", 20_000), Bench.integer("submitWarmup", 2_000),
						() -> BackgroundJob.enqueue(() -> JobRunrJobs.noop())));
				case "submit-batch" -> {
					int size = Bench.integer("batchSize", 1_000);
					Bench.result(Submits.batch(Bench.integer("batchRows", 50_000), Bench.integer("batchWarmup", 5_000),
							size, () -> BackgroundJob.enqueue(IntStream.range(0, size).boxed(), (i) -> JobRunrJobs.noop())));
				}
				case "pickup-worker" -> {
					BackgroundJobServer jobServer = JobRunr.getBackgroundJobServer();
					jobServer.start();
					Bench.result(Pickups.worker((stamp) -> BackgroundJob.enqueue(() -> JobRunrJobs.pickup(stamp))));
					jobServer.stop();
				}
				case "pickup-submit" -> Pickups.submitter((stamp) -> BackgroundJob.enqueue(() -> JobRunrJobs.pickup(stamp)));
				default -> throw new IllegalArgumentException("JobRunr has no scenario " + scenario);
			}
			JobRunr.destroy();
		}
	}

}
