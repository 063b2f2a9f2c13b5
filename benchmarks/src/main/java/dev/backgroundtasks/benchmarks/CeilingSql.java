package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What the ceiling does on one database: create and fill its table, and on each thread's connection claim a
 * batch (moved to {@code RUNNING} and committed) and complete it (committed). The drain around it is
 * {@link CeilingBenchmark}'s, the same on every database.
 */
interface CeilingSql {

	/**
	 * Creates the table and queues {@code rows} due rows, then refreshes the planner's statistics.
	 * @param connection a connection of its own
	 * @param rows how many rows to queue
	 */
	void load(Connection connection, int rows) throws SQLException;

	/**
	 * @param connection the thread's own connection
	 * @param node the name the thread claims under
	 * @param batch rows per claim
	 * @return the thread's statements
	 */
	Claims claims(Connection connection, String node, int batch) throws SQLException;

	static CeilingSql of(BenchDatabase database) {
		return switch (database) {
			case POSTGRESQL -> new PostgresCeilingSql();
			case MARIADB -> new MariaDbCeilingSql();
			case H2 -> throw new IllegalArgumentException("the ceiling runs on PostgreSQL or MariaDB");
		};
	}

	/** One thread's claim and completion; each ends in a commit. */
	interface Claims extends AutoCloseable {

		/**
		 * @return the ids claimed, none when nothing is left
		 */
		List<Object> claim() throws SQLException;

		/**
		 * @param ids ids this thread claimed
		 * @return how many rows were completed
		 */
		int complete(List<Object> ids) throws SQLException;

		@Override
		void close() throws SQLException;

	}

}
