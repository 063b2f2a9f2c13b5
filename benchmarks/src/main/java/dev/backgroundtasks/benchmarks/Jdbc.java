package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Plain JDBC for the harness itself: pools for the peers (the same size as Spring Boot's default for ours)
 * and the end-of-drain check.
 */
final class Jdbc {

	/** HikariCP's default, which is what ours gets from Spring Boot. */
	static final int POOL_SIZE = 10;

	private Jdbc() {
	}

	static HikariDataSource pool(String url, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(BenchDatabase.of(url).user());
		config.setPassword(Bench.str("password", ""));
		config.setMaximumPoolSize(size);
		return new HikariDataSource(config);
	}

	static Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, BenchDatabase.of(url).user(), Bench.str("password", ""));
	}

	static long queryLong(DataSource dataSource, String sql) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet rows = statement.executeQuery()) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	/**
	 * Waits until every job ran inside this JVM, then until the database agrees (checked every 10 ms), and
	 * returns the drain figures timed from the first job's start.
	 * @param rows how many jobs were queued
	 * @param dataSource where to check
	 * @param finishedSql counts finished rows, or remaining rows when {@code finished} says so
	 * @param finished whether the count from {@code finishedSql} means the drain is over
	 */
	static Map<String, Object> awaitDrain(long rows, DataSource dataSource, String finishedSql, LongPredicate finished) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Bench.integer("drainTimeoutSeconds", 1800));
		while (DrainCounter.done() < rows) {
			check(deadline, rows);
			Bench.sleep(5);
		}
		while (!finished.test(queryLong(dataSource, finishedSql))) {
			check(deadline, rows);
			Bench.sleep(10);
		}
		long end = System.nanoTime();
		double seconds = (end - DrainCounter.firstStartNanos()) / 1e9;
		long timed = rows - DrainCounter.warmup();
		Map<String, Object> figures = Bench.figures();
		figures.put("drained", timed);
		figures.put("drainSeconds", String.format(java.util.Locale.ROOT, "%.3f", seconds));
		figures.put("drainRate", Math.round(timed / seconds));
		figures.put("ranInJvm", DrainCounter.done());
		return figures;
	}

	private static void check(long deadline, long rows) {
		if (System.nanoTime() > deadline) {
			throw new IllegalStateException("drain timed out: " + DrainCounter.done() + " of " + rows + " ran");
		}
	}

}
