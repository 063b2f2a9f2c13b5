package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ceiling on PostgreSQL: a table shaped like {@code bgt_execution} (uuid key, the same partial claim
 * index), each statement its own transaction in autocommit. Claim: one
 * {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED) RETURNING id}; completion: one
 * {@code UPDATE ... WHERE id = ANY (?)}, or {@code WHERE id = ?} for batches of one.
 */
final class PostgresCeilingSql implements CeilingSql {

	private static final String SCHEMA = """
			CREATE TABLE IF NOT EXISTS ceiling_job (
			    id          uuid         NOT NULL PRIMARY KEY,
			    task_name   varchar(200) NOT NULL,
			    status      varchar(16)  NOT NULL,
			    params      text         NOT NULL,
			    attempt     integer      NOT NULL DEFAULT 0,
			    priority    integer      NOT NULL DEFAULT 0,
			    node        varchar(200),
			    created_at  timestamptz  NOT NULL,
			    run_at      timestamptz  NOT NULL,
			    started_at  timestamptz,
			    finished_at timestamptz,
			    lease_until timestamptz
			);
			CREATE INDEX IF NOT EXISTS ceiling_job_claim_idx ON ceiling_job (priority DESC, run_at, id) WHERE status = 'READY'
			""";

	private static final String CLAIM = "UPDATE ceiling_job SET status = 'RUNNING', node = ?, attempt = attempt + 1,"
			+ " started_at = now(), lease_until = now() + interval '30 seconds'"
			+ " WHERE id IN (SELECT id FROM ceiling_job WHERE status = 'READY' AND run_at <= now()"
			+ " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id";

	private static final String COMPLETE_MANY = "UPDATE ceiling_job SET status = 'SUCCESSFUL', finished_at = now(),"
			+ " lease_until = NULL WHERE id = ANY (?) AND status = 'RUNNING' AND node = ?";

	private static final String COMPLETE_ONE = "UPDATE ceiling_job SET status = 'SUCCESSFUL', finished_at = now(),"
			+ " lease_until = NULL WHERE id = ? AND status = 'RUNNING' AND node = ?";

	@Override
	public void load(Connection connection, int rows) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(SCHEMA);
			statement.execute("INSERT INTO ceiling_job (id, task_name, status, params, created_at, run_at)"
					+ " SELECT gen_random_uuid(), 'noop', 'READY', '{}', now(), now() FROM generate_series(1, " + rows + ")");
			statement.execute("VACUUM ANALYZE ceiling_job");
		}
	}

	@Override
	public Claims claims(Connection connection, String node, int batch) throws SQLException {
		PreparedStatement claim = connection.prepareStatement(CLAIM);
		PreparedStatement complete = connection.prepareStatement((batch == 1) ? COMPLETE_ONE : COMPLETE_MANY);
		return new Claims() {

			@Override
			public List<Object> claim() throws SQLException {
				List<Object> ids = new ArrayList<>(batch);
				claim.setString(1, node);
				claim.setInt(2, batch);
				try (ResultSet rows = claim.executeQuery()) {
					while (rows.next()) {
						ids.add(rows.getObject(1, UUID.class));
					}
				}
				return ids;
			}

			@Override
			public int complete(List<Object> ids) throws SQLException {
				if (batch == 1) {
					complete.setObject(1, ids.get(0));
				}
				else {
					complete.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
				}
				complete.setString(2, node);
				return complete.executeUpdate();
			}

			@Override
			public void close() throws SQLException {
				claim.close();
				complete.close();
			}

		};
	}

}
