package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.execution.DatabaseKind;
import org.flywaydb.core.Flyway;

/**
 * The ceiling on MariaDB, which has no {@code UPDATE ... RETURNING}. The table is ours: {@code bgt_execution}
 * with every index, created by our own MariaDB migrations. Claim, in one transaction:
 * {@code SELECT id ... ORDER BY priority DESC, run_at, id LIMIT n FOR UPDATE SKIP LOCKED}, then
 * {@code UPDATE ... WHERE id IN (...)}, then commit; completion: {@code UPDATE ... WHERE id IN (...)}, committed;
 * both at READ COMMITTED.
 */
final class MariaDbCeilingSql implements CeilingSql {

	private static final String PICK = "SELECT id FROM bgt_execution WHERE status = 'READY' AND run_at <= UTC_TIMESTAMP(6)"
			+ " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED";

	private static final String CLAIM = "UPDATE bgt_execution SET status = 'RUNNING', node = ?, attempt = attempt + 1,"
			+ " started_at = UTC_TIMESTAMP(6), lease_until = UTC_TIMESTAMP(6) + INTERVAL 30 SECOND WHERE id IN (%s)";

	private static final String COMPLETE = "UPDATE bgt_execution SET status = 'SUCCESSFUL', finished_at = UTC_TIMESTAMP(6),"
			+ " lease_until = NULL WHERE id IN (%s) AND status = 'RUNNING' AND node = ?";

	@Override
	public void load(Connection connection, int rows) throws SQLException {
		Flyway.configure(getClass().getClassLoader())
			.dataSource(Bench.jdbcUrl(), BenchDatabase.MARIADB.user(), Bench.str("password", ""))
			.locations(DatabaseKind.MARIADB.migrationLocation())
			.load()
			.migrate();
		try (Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, created_at, run_at)"
					+ " SELECT UUID(), 'noop', 'READY', 'API', '{}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM "
					+ BenchDatabase.MARIADB.series(1, rows));
			statement.execute(BenchDatabase.MARIADB.analyze("bgt_execution"));
		}
	}

	@Override
	public Claims claims(Connection connection, String node, int batch) throws SQLException {
		connection.setAutoCommit(false);
		// PostgreSQL's ceiling runs at its default, READ COMMITTED; ours runs its claims at it on MariaDB too.
		connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		PreparedStatement pick = connection.prepareStatement(PICK);
		// The IN lists have as many markers as ids: one statement per size (all but the last claims are full).
		Map<Integer, PreparedStatement> claimBySize = new HashMap<>();
		Map<Integer, PreparedStatement> completeBySize = new HashMap<>();
		return new Claims() {

			@Override
			public List<Object> claim() throws SQLException {
				List<Object> ids = new ArrayList<>(batch);
				pick.setInt(1, batch);
				try (ResultSet rows = pick.executeQuery()) {
					while (rows.next()) {
						ids.add(rows.getString(1));
					}
				}
				if (!ids.isEmpty()) {
					PreparedStatement claim = sized(claimBySize, CLAIM, ids.size());
					claim.setString(1, node);
					bind(claim, 2, ids);
					claim.executeUpdate();
				}
				connection.commit();
				return ids;
			}

			@Override
			public int complete(List<Object> ids) throws SQLException {
				PreparedStatement complete = sized(completeBySize, COMPLETE, ids.size());
				bind(complete, 1, ids);
				complete.setString(ids.size() + 1, node);
				int done = complete.executeUpdate();
				connection.commit();
				return done;
			}

			@Override
			public void close() throws SQLException {
				pick.close();
				for (PreparedStatement statement : claimBySize.values()) {
					statement.close();
				}
				for (PreparedStatement statement : completeBySize.values()) {
					statement.close();
				}
			}

			private PreparedStatement sized(Map<Integer, PreparedStatement> bySize, String sql, int size) throws SQLException {
				PreparedStatement statement = bySize.get(size);
				if (statement == null) {
					statement = connection.prepareStatement(String.format(sql, String.join(", ", Collections.nCopies(size, "?"))));
					bySize.put(size, statement);
				}
				return statement;
			}

		};
	}

	private static void bind(PreparedStatement statement, int first, List<Object> ids) throws SQLException {
		for (int i = 0; i < ids.size(); i++) {
			statement.setObject(first + i, ids.get(i));
		}
	}

}
