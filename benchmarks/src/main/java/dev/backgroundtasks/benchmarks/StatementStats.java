package dev.backgroundtasks.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What PostgreSQL spent per statement during one part of a run, from {@code pg_stat_statements} where the
 * server loads it ({@code shared_preload_libraries}); nothing where it does not. Its counters are the
 * server's: {@link #reset()} clears them for every database.
 */
final class StatementStats {

	private final JdbcTemplate jdbc;

	private final boolean available;

	StatementStats(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		boolean available;
		try {
			jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			jdbc.queryForObject("SELECT count(*) FROM pg_stat_statements", Long.class);
			available = true;
		}
		catch (DataAccessException ex) {
			available = false;
		}
		this.available = available;
	}

	void reset() {
		if (this.available) {
			this.jdbc.queryForList("SELECT pg_stat_statements_reset()");
		}
	}

	/**
	 * @return a Markdown table of the statements of this database that took the most time since the last
	 * reset, or a line saying why there is none
	 */
	String table(String title, int top) {
		if (!this.available) {
			return title + ": no figures (pg_stat_statements is not in the server's shared_preload_libraries).\n\n";
		}
		List<Map<String, Object>> rows = this.jdbc.queryForList("SELECT calls, total_exec_time, rows, shared_blks_hit,"
				+ " shared_blks_read, wal_bytes, query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
				+ " WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT ?", top);
		StringBuilder md = new StringBuilder(title).append(" (pg_stat_statements, top ").append(top)
			.append(" by server time):\n\n| statement | calls | total ms | ms per call | rows | blocks hit | blocks read | WAL MB |\n")
			.append("|---|---|---|---|---|---|---|---|\n");
		for (Map<String, Object> row : rows) {
			long calls = ((Number) row.get("calls")).longValue();
			double total = ((Number) row.get("total_exec_time")).doubleValue();
			String query = String.valueOf(row.get("query")).replaceAll("\\s+", " ").replace("|", "\\|");
			md.append(String.format(Locale.ROOT, "| `%s` | %,d | %.0f | %.3f | %,d | %,d | %,d | %.1f |%n",
					(query.length() > 90) ? query.substring(0, 90) + "…" : query, calls, total,
					(calls > 0) ? total / calls : 0, ((Number) row.get("rows")).longValue(),
					((Number) row.get("shared_blks_hit")).longValue(), ((Number) row.get("shared_blks_read")).longValue(),
					((Number) row.get("wal_bytes")).doubleValue() / 1e6));
		}
		return md.append('\n').toString();
	}

}
