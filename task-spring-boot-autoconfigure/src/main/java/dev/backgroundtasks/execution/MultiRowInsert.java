package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import dev.backgroundtasks.execution.ExecutionColumns.Start;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts executions due now with multi-row {@code INSERT ... VALUES (...), (...)} statements of a
 * bounded number of rows: far fewer statements (and round trips, and statement triggers) than one per
 * row, without relying on the driver to rewrite batches.
 */
final class MultiRowInsert {

	/**
	 * Rows per statement: 6,000 binds, well under what drivers accept in one statement (32,767 for
	 * PostgreSQL's).
	 */
	static final int ROWS_PER_STATEMENT = 500;

	private static final String INSERT = "INSERT INTO bgt_execution (" + ExecutionColumns.ALL + ") VALUES ";

	private static final String ROW = ExecutionColumns.row(Start.READY_NOW);

	private MultiRowInsert() {
	}

	/**
	 * Inserts the executions, {@code rowsPerStatement} at a time, in the caller's transaction.
	 * @param jdbc the template to run statements with
	 * @param executions executions due now without keys
	 * @param rowsPerStatement the most rows one statement inserts
	 */
	static void insert(JdbcTemplate jdbc, List<NewExecution> executions, int rowsPerStatement) {
		// Every full chunk runs the same statement, so the driver can keep it prepared.
		int fullRows = Math.min(rowsPerStatement, executions.size());
		String full = sql(fullRows);
		for (int from = 0; from < executions.size(); from += rowsPerStatement) {
			List<NewExecution> chunk = executions.subList(from, Math.min(from + rowsPerStatement, executions.size()));
			jdbc.update((chunk.size() == fullRows) ? full : sql(chunk.size()), args(chunk));
		}
	}

	private static String sql(int rows) {
		return INSERT + String.join(", ", Collections.nCopies(rows, ROW));
	}

	private static Object[] args(List<NewExecution> chunk) {
		List<Object> args = new ArrayList<>(chunk.size() * ExecutionColumns.BOUND.size());
		for (NewExecution execution : chunk) {
			args.addAll(Arrays.asList(ExecutionColumns.values(execution)));
		}
		return args.toArray();
	}

}
