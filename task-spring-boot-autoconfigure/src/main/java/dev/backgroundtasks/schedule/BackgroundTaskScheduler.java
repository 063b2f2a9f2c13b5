package dev.backgroundtasks.schedule;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The scheduler of one node: a daemon thread that runs a {@link ScheduleTicker} round, then sleeps
 * until the nearest fire time, but never longer than the poll interval, so a {@code $disable} on
 * another node or a fire time stored by another node is seen within about one interval. Every node
 * may run one: fire times are stored once whatever the number of nodes.
 */
public class BackgroundTaskScheduler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(BackgroundTaskScheduler.class);

	private static final Duration MIN_SLEEP = Duration.ofMillis(10);

	/** Fire times are whole seconds at most; waking a little late means one round sees them due. */
	private static final Duration WAKE_MARGIN = Duration.ofMillis(5);

	private final ScheduleTicker ticker;

	private final Duration pollInterval;

	private final Object monitor = new Object();

	private volatile boolean running;

	private @Nullable Thread thread;

	/**
	 * @param ticker runs each round
	 * @param pollInterval the longest sleep between two rounds
	 */
	public BackgroundTaskScheduler(ScheduleTicker ticker, Duration pollInterval) {
		this.ticker = ticker;
		this.pollInterval = pollInterval;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		Thread loop = new Thread(this::loop, "bgt-scheduler");
		loop.setDaemon(true);
		this.thread = loop;
		loop.start();
		logger.info("Background task scheduler started");
	}

	private void loop() {
		while (this.running) {
			Duration sleep = this.pollInterval;
			try {
				// A duration measured on the database clock: node clock skew does not matter.
				Duration untilDue = this.ticker.tick();
				if (untilDue != null) {
					sleep = sleepFor(untilDue);
				}
			}
			catch (RuntimeException ex) {
				// Keep scheduling: a dead scheduler would silently stop every schedule of this node.
				logger.warn("Background task scheduler round failed; retrying in " + this.pollInterval, ex);
			}
			try {
				synchronized (this.monitor) {
					if (this.running) {
						this.monitor.wait(Math.max(1, sleep.toMillis()));
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private Duration sleepFor(Duration untilDue) {
		untilDue = untilDue.plus(WAKE_MARGIN);
		if (untilDue.compareTo(MIN_SLEEP) < 0) {
			return MIN_SLEEP;
		}
		return (untilDue.compareTo(this.pollInterval) < 0) ? untilDue : this.pollInterval;
	}

	@Override
	public void stop() {
		Thread loop;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			loop = this.thread;
		}
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		if (loop != null) {
			try {
				loop.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		logger.info("Background task scheduler stopped");
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @return this node's ticker, with its counters of fired, skipped and missed fire times
	 */
	public ScheduleTicker getTicker() {
		return this.ticker;
	}

	/**
	 * @return how many fire times this node skipped because the previous execution of a task with
	 * concurrency 1 was still READY or RUNNING
	 */
	public long getSkippedCount() {
		return this.ticker.getSkippedCount();
	}

}
