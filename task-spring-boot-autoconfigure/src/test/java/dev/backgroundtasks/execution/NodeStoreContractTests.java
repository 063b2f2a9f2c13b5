package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link JdbcNodeStore}: a node's first heartbeat inserts its row and later ones
 * update it, by the database clock; any node can tell whether others are known, which are alive, which
 * tasks the live workers know, and forget those silent for long.
 */
class NodeStoreContractTests extends AbstractStoreContractTests {

	private JdbcNodeStore nodes;

	@BeforeEach
	void nodes() {
		this.nodes = new JdbcNodeStore(this.jdbc);
	}

	@Test
	void theFirstHeartbeatInsertsTheNodeAndLaterOnesUpdateIt() {
		this.nodes.heartbeat("n1", 2);
		assertThat(this.nodes.nodes(Duration.ofMinutes(1))).singleElement().satisfies((node) -> {
			assertThat(node.name()).isEqualTo("n1");
			assertThat(node.running()).isEqualTo(2);
			assertThat(node.startedAt()).isEqualTo(node.lastHeartbeat());
			assertThat(node.live()).isTrue();
		});
		this.jdbc.update("UPDATE bgt_node SET started_at = started_at - INTERVAL '1' HOUR,"
				+ " last_heartbeat = last_heartbeat - INTERVAL '1' HOUR");
		this.nodes.heartbeat("n1", 5);
		assertThat(this.nodes.nodes(Duration.ofMinutes(1))).singleElement().satisfies((node) -> {
			assertThat(node.running()).isEqualTo(5);
			assertThat(Duration.between(node.startedAt(), node.lastHeartbeat())).as("started an hour ago")
				.isGreaterThanOrEqualTo(Duration.ofHours(1));
			assertThat(node.live()).isTrue();
		});
		assertThat(secondsSinceHeartbeat("n1")).isBetween(0L, 60L);
	}

	@Test
	void concurrentFirstHeartbeatsOfOneNodeStoreOneRow() throws Exception {
		int threads = 4;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> beats = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int running = i;
				beats.add(executor.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					this.nodes.heartbeat("n1", running);
					return null;
				}));
			}
			for (Future<?> beat : beats) {
				beat.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_node", Integer.class)).isOne();
	}

	@Test
	void othersKnownWhenAnotherNodeHasARowAliveOrNot() {
		assertThat(this.nodes.othersKnown("n1")).isFalse();
		this.nodes.heartbeat("n1", 0);
		assertThat(this.nodes.othersKnown("n1")).as("only itself").isFalse();
		this.nodes.heartbeat("n2", 0);
		this.jdbc.update("UPDATE bgt_node SET last_heartbeat = last_heartbeat - INTERVAL '1' DAY WHERE node_name = 'n2'");
		assertThat(this.nodes.othersKnown("n1")).isTrue();
		assertThat(this.nodes.othersKnown("n2")).isTrue();
		this.nodes.remove("n2");
		assertThat(this.nodes.othersKnown("n1")).isFalse();
	}

	@Test
	void nodesListsEveryNodeByNameWithWhetherItIsAlive() {
		this.nodes.heartbeat("b", 1);
		this.nodes.heartbeat("a", 0);
		this.nodes.heartbeat("c", 3);
		this.jdbc.update("UPDATE bgt_node SET last_heartbeat = last_heartbeat - INTERVAL '10' MINUTE"
				+ " WHERE node_name = 'c'");
		assertThat(this.nodes.nodes(Duration.ofMinutes(1)))
			.extracting((node) -> node.name() + " " + node.running() + " " + node.live())
			.containsExactly("a 0 true", "b 1 true", "c 3 false");
		assertThat(this.nodes.nodes(Duration.ofHours(1))).allSatisfy((node) -> assertThat(node.live()).isTrue());
	}

	@Test
	void forgetsOnlyNodesSilentForLongerThanAsked() {
		this.nodes.heartbeat("alive", 0);
		this.nodes.heartbeat("silent", 0);
		this.jdbc.update("UPDATE bgt_node SET last_heartbeat = last_heartbeat - INTERVAL '2' HOUR"
				+ " WHERE node_name = 'silent'");
		assertThat(this.nodes.forgetSilentFor(Duration.ofHours(3))).isZero();
		assertThat(this.nodes.forgetSilentFor(Duration.ofHours(1))).isOne();
		assertThat(this.nodes.nodes(Duration.ofMinutes(1))).extracting(NodeInfo::name).containsExactly("alive");
	}

	@Test
	void theTasksAreWrittenWithANewRowAndOnAnExistingOneOnlyWhenChanged() {
		this.nodes.heartbeat("n1", 0, 2, "worker", "a,b", false);
		assertThat(tasksOf("n1")).as("a new row gets them").isEqualTo("a,b");
		this.nodes.heartbeat("n1", 1, 2, "worker", "a,b,c", false);
		assertThat(tasksOf("n1")).as("unchanged: not written").isEqualTo("a,b");
		assertThat(this.nodes.nodes(Duration.ofMinutes(1))).singleElement()
			.satisfies((node) -> assertThat(node.running()).isOne());
		this.nodes.heartbeat("n1", 1, 2, "worker", "a,b,c", true);
		assertThat(tasksOf("n1")).isEqualTo("a,b,c");
		this.jdbc.update("UPDATE bgt_node SET last_heartbeat = last_heartbeat - INTERVAL '2' HOUR");
		assertThat(this.nodes.forgetSilentFor(Duration.ofHours(1))).isOne();
		this.nodes.heartbeat("n1", 0, 2, "worker", "a,b,c", false);
		assertThat(tasksOf("n1")).as("forgotten, then inserted again").isEqualTo("a,b,c");
		this.nodes.heartbeat("n1", 0, 0, "api", null, true);
		assertThat(tasksOf("n1")).isNull();
	}

	@Test
	void liveWorkersAreTheLiveNodesWithTasksAndTheUnionOfTheirTasks() {
		assertThat(this.nodes.liveWorkers(Duration.ofMinutes(1))).isEqualTo(new LiveWorkers(0, Set.of()));
		this.nodes.heartbeat("w1", 0, 2, "worker", "a,b", true);
		this.nodes.heartbeat("w2", 0, 2, "worker", "b,c", true);
		this.nodes.heartbeat("idle", 0, 2, "worker", "", true);
		this.nodes.heartbeat("api", 0, 0, "api", null, true);
		this.nodes.heartbeat("old", 0, 2, "worker", "d", true);
		this.jdbc.update("UPDATE bgt_node SET last_heartbeat = last_heartbeat - INTERVAL '10' MINUTE"
				+ " WHERE node_name = 'old'");
		LiveWorkers live = this.nodes.liveWorkers(Duration.ofMinutes(1));
		assertThat(live.nodes()).as("w1, w2 and idle").isEqualTo(3);
		assertThat(live.tasks()).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(this.nodes.liveWorkers(Duration.ofHours(1)).tasks()).containsExactlyInAnyOrder("a", "b", "c", "d");
	}

	private @Nullable String tasksOf(String node) {
		return this.jdbc.queryForObject("SELECT tasks FROM bgt_node WHERE node_name = ?", String.class, node);
	}

	private long secondsSinceHeartbeat(String node) {
		return this.jdbc.queryForObject("SELECT CAST(EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - last_heartbeat)) AS BIGINT)"
				+ " FROM bgt_node WHERE node_name = ?", Long.class, node);
	}

}
