package dev.backgroundtasks.it.fault;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.support.NodeName;

/**
 * The tasks of the fault tests, added to a node as a source of its context (not scanned, so other test
 * applications do not see them). Each records its runs in this JVM, where the tests look for work run
 * twice, lost, or run twice at once.
 */
public class FaultTasks {

	/** How many times {@link #drain} ran, per key. */
	public static final Map<Integer, AtomicInteger> drainRuns = new ConcurrentHashMap<>();

	/** How many times {@link #hold} ran, per key. */
	public static final Map<Integer, AtomicInteger> holdRuns = new ConcurrentHashMap<>();

	/** Every run of {@link #fenced}, on any node of this JVM, in the order they started. */
	public static final List<Run> fencedRuns = new CopyOnWriteArrayList<>();

	private static volatile CountDownLatch held = new CountDownLatch(1);

	private final String node;

	private final DataSource dataSource;

	public FaultTasks(NodeName node, DataSource dataSource) {
		this.node = node.value();
		this.dataSource = dataSource;
	}

	/**
	 * Always succeeds, after a short pause that makes a drain last long enough to be interrupted.
	 */
	@BackgroundTask(name = "fault-drain")
	public int drain(int key, long millis) throws InterruptedException {
		drainRuns.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		Thread.sleep(millis);
		return key;
	}

	/**
	 * Never runs twice at once anywhere; records when each run starts and ends, and on which node. Runs
	 * for {@code millis}, or, on the node named {@code holdOn}, until interrupted or {@link #releaseHeld()}
	 * (at most five minutes), and returns the name of the node that ran it.
	 */
	@BackgroundTask(name = "fault-fenced", concurrency = 1)
	public String fenced(long millis, @TaskParam(defaultValue = "") String holdOn, TaskContext context)
			throws InterruptedException {
		Run run = new Run(this.node, context.executionId(), System.nanoTime());
		fencedRuns.add(run);
		try {
			if (this.node.equals(holdOn)) {
				held.await(5, TimeUnit.MINUTES);
			}
			else {
				Thread.sleep(millis);
			}
		}
		catch (InterruptedException ex) {
			run.interrupted = true;
			throw ex;
		}
		finally {
			run.endNanos = System.nanoTime();
			run.ended = true;
		}
		return this.node;
	}

	/**
	 * Lets every held run of {@link #fenced} end, and holds the runs that start after the next call of
	 * {@link #resetFenced()}.
	 */
	public static void releaseHeld() {
		held.countDown();
	}

	/**
	 * Forgets the runs of {@link #fenced} and holds its next runs on their {@code holdOn} node.
	 */
	public static void resetFenced() {
		held.countDown();
		held = new CountDownLatch(1);
		fencedRuns.clear();
	}

	/**
	 * Holds a connection of the application's pool for {@code millis}, as a task that works in the
	 * database does.
	 */
	@BackgroundTask(name = "fault-hold")
	public int hold(int key, long millis) throws SQLException, InterruptedException {
		holdRuns.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT 1");
			Thread.sleep(millis);
		}
		return key;
	}

	/**
	 * One run of {@link #fenced}.
	 */
	public static final class Run {

		private final String node;

		private final UUID execution;

		private final long startNanos;

		private volatile long endNanos;

		private volatile boolean ended;

		private volatile boolean interrupted;

		Run(String node, UUID execution, long startNanos) {
			this.node = node;
			this.execution = execution;
			this.startNanos = startNanos;
		}

		public String node() {
			return this.node;
		}

		public UUID execution() {
			return this.execution;
		}

		public long startNanos() {
			return this.startNanos;
		}

		/**
		 * @return when it ended; meaningless while it runs
		 */
		public long endNanos() {
			return this.endNanos;
		}

		public boolean ended() {
			return this.ended;
		}

		/**
		 * @return whether it ended because its thread was interrupted
		 */
		public boolean interrupted() {
			return this.interrupted;
		}

		@Override
		public String toString() {
			return this.node + " ran " + this.execution + " from " + this.startNanos / 1_000_000 + " ms to "
					+ (ended() ? (this.endNanos / 1_000_000 + " ms" + (this.interrupted ? " (interrupted)" : ""))
							: "(still running)");
		}

	}

}
