package dev.backgroundtasks.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * One daemon thread running a component's periodic jobs. A job that throws, an {@code Error} included, is
 * reported and runs again at its next turn; stopping never interrupts a job (a thread interrupted inside a
 * JDBC call can close an H2 database). A job that stopped running all the same makes {@link #isDead()}
 * true.
 */
public final class PeriodicJobs {

	private final String threadPrefix;

	private final Consumer<Throwable> onFailure;

	private final List<ScheduledFuture<?>> periodic = new CopyOnWriteArrayList<>();

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * @param threadPrefix the prefix of the thread's name
	 * @param onFailure reports a job that threw
	 */
	public PeriodicJobs(String threadPrefix, Consumer<Throwable> onFailure) {
		this.threadPrefix = threadPrefix;
		this.onFailure = onFailure;
	}

	/**
	 * Starts the thread.
	 */
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory(this.threadPrefix));
		}
	}

	/**
	 * Runs a job repeatedly, {@code interval} after the end of its previous run.
	 * @param initialDelay the delay before the first run
	 * @param interval the delay between the end of a run and the next
	 * @param job the job
	 */
	public void every(Duration initialDelay, Duration interval, Runnable job) {
		ScheduledExecutorService running = this.executor;
		if (running != null) {
			this.periodic.add(running.scheduleWithFixedDelay(() -> {
				try {
					job.run();
				}
				catch (Throwable ex) {
					// An Error too: a periodic job that throws never runs again.
					this.onFailure.accept(ex);
				}
			}, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS));
		}
	}

	/**
	 * Runs a job once, after a delay.
	 * @param delay the delay
	 * @param job the job
	 * @return the scheduled run, or {@code null} when not started
	 */
	public @Nullable ScheduledFuture<?> once(Duration delay, Runnable job) {
		ScheduledExecutorService running = this.executor;
		return (running != null) ? running.schedule(job, delay.toMillis(), TimeUnit.MILLISECONDS) : null;
	}

	/**
	 * Stops scheduling; a job running now finishes.
	 */
	public synchronized void stop() {
		ScheduledExecutorService running = this.executor;
		this.executor = null;
		if (running != null) {
			running.shutdown();
		}
		this.periodic.clear();
	}

	/**
	 * @return whether a periodic job stopped running while the thread is started (it threw even while
	 * its failure was being reported)
	 */
	public boolean isDead() {
		return this.executor != null && this.periodic.stream().anyMatch(ScheduledFuture::isDone);
	}

	/**
	 * @return whether the thread is started and not stopped
	 */
	public boolean isRunning() {
		return this.executor != null;
	}

}
