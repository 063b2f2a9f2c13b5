package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The nodes of the cluster in {@code bgt_node}: each node upserts its row on its heartbeat, with the
 * database clock, so that any node can tell which nodes are alive. An update, then an insert when there
 * was no row: the same statements on H2, PostgreSQL and MariaDB.
 */
public class JdbcNodeStore {

	private static final String AGO = "CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	private final JdbcTemplate jdbc;

	public JdbcNodeStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a node's heartbeat: its row is created on the first one.
	 * @param node the node name
	 * @param running how many executions it runs now
	 */
	public void heartbeat(String node, int running) {
		heartbeat(node, running, 0, null);
	}

	/**
	 * Records a node's heartbeat: its row is created on the first one.
	 * @param node the node name
	 * @param running how many executions it runs now
	 * @param threads how many worker threads it runs
	 * @param roles what it does, comma-separated, or {@code null}
	 */
	public void heartbeat(String node, int running, int threads, @Nullable String roles) {
		heartbeat(node, running, threads, roles, null, false);
	}

	/**
	 * Records a node's heartbeat: its row is created on the first one, with the tasks its worker runs.
	 * The tasks can be a long text, so an existing row gets them only when they changed; a row created
	 * anew (the node's first heartbeat, or one after another node forgot it) always gets them.
	 * @param node the node name
	 * @param running how many executions it runs now
	 * @param threads how many worker threads it runs
	 * @param roles what it does, comma-separated, or {@code null}
	 * @param tasks the names of the tasks its worker runs, comma-separated, or {@code null} when it runs
	 * no worker
	 * @param tasksChanged whether {@code tasks} differ from what the node last wrote
	 */
	public void heartbeat(String node, int running, int threads, @Nullable String roles, @Nullable String tasks,
			boolean tasksChanged) {
		if (update(node, running, threads, roles, tasks, tasksChanged)) {
			return;
		}
		try {
			this.jdbc.update("INSERT INTO bgt_node (node_name, started_at, last_heartbeat, running, threads, roles,"
					+ " tasks) VALUES (?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, ?, ?, ?)", node, running, threads,
					roles, tasks);
		}
		catch (DuplicateKeyException ex) {
			// Inserted concurrently by the same node name: only the heartbeat is left to record.
			update(node, running, threads, roles, tasks, true);
		}
	}

	private boolean update(String node, int running, int threads, @Nullable String roles, @Nullable String tasks,
			boolean withTasks) {
		if (withTasks) {
			return this.jdbc.update("UPDATE bgt_node SET last_heartbeat = CURRENT_TIMESTAMP, running = ?, threads = ?,"
					+ " roles = ?, tasks = ? WHERE node_name = ?", running, threads, roles, tasks, node) == 1;
		}
		return this.jdbc.update("UPDATE bgt_node SET last_heartbeat = CURRENT_TIMESTAMP, running = ?, threads = ?,"
				+ " roles = ? WHERE node_name = ?", running, threads, roles, node) == 1;
	}

	/**
	 * @param node this node's name
	 * @return whether another node has a row, alive or not (rows of stopped nodes linger a while)
	 */
	public boolean othersKnown(String node) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject(
				"SELECT EXISTS (SELECT 1 FROM bgt_node WHERE node_name <> ?)", Boolean.class, node));
	}

	/**
	 * Removes a node's row, when it stops.
	 * @param node the node name
	 */
	public void remove(String node) {
		this.jdbc.update("DELETE FROM bgt_node WHERE node_name = ?", node);
	}

	/**
	 * Forgets nodes that have not heartbeated for a long time: they stopped without removing their row.
	 * @param silence how long without a heartbeat
	 * @return how many rows were removed
	 */
	public int forgetSilentFor(Duration silence) {
		return this.jdbc.update("DELETE FROM bgt_node WHERE last_heartbeat < " + AGO, silence.toMillis());
	}

	/**
	 * Reads which tasks the live nodes that run a worker have registered: one short read of the small
	 * node table.
	 * @param liveWithin how recent a heartbeat must be for a node to count as alive
	 * @return the live nodes that run a worker (their {@code tasks} are not {@code null}) and the union
	 * of their tasks
	 */
	public LiveWorkers liveWorkers(Duration liveWithin) {
		List<@Nullable String> lists = this.jdbc.queryForList(
				"SELECT tasks FROM bgt_node WHERE tasks IS NOT NULL AND last_heartbeat >= " + AGO, String.class,
				liveWithin.toMillis());
		Set<String> tasks = new HashSet<>();
		for (String list : lists) {
			if (list != null) {
				Arrays.stream(list.split(",")).filter((name) -> !name.isEmpty()).forEach(tasks::add);
			}
		}
		return new LiveWorkers(lists.size(), tasks);
	}

	/**
	 * @param liveWithin how recent a heartbeat must be for a node to count as alive
	 * @return every node with a row, alive or not, by name
	 */
	public List<NodeInfo> nodes(Duration liveWithin) {
		return this.jdbc.query("SELECT node_name, started_at, last_heartbeat, running, CASE WHEN last_heartbeat >= "
				+ AGO + " THEN 1 ELSE 0 END, threads, roles FROM bgt_node ORDER BY node_name",
				(rs, row) -> new NodeInfo(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
						rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4), rs.getInt(5) == 1,
						rs.getInt(6), rs.getString(7)),
				liveWithin.toMillis());
	}

}
