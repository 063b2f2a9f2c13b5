package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Deletes finished executions once they are older than their retention, in bounded batches so no
 * statement holds many locks or runs long, keeping the table small and the claim fast. Any node may run
 * it; the batches do not conflict.
 */
public class RetentionCleaner implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RetentionCleaner.class);

	private final ExecutionStore store;

	private final Map<TaskStatus, Duration> retention;

	private final int batchSize;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * @param store the store
	 * @param retention how long to keep executions, per terminal state
	 * @param batchSize the most rows one statement deletes
	 * @param interval how often to clean up
	 */
	public RetentionCleaner(ExecutionStore store, Map<TaskStatus, Duration> retention, int batchSize,
			Duration interval) {
		this.store = store;
		this.retention = Map.copyOf(retention);
		this.batchSize = batchSize;
		this.interval = interval;
	}

	/**
	 * Deletes every execution past its retention, batch by batch.
	 * @return how many were deleted
	 */
	public int purge() {
		int deleted = 0;
		for (Map.Entry<TaskStatus, Duration> entry : this.retention.entrySet()) {
			int batch;
			do {
				batch = this.store.deleteFinished(entry.getKey(), entry.getValue(), this.batchSize);
				deleted += batch;
			}
			while (batch == this.batchSize && this.scheduler != null);
		}
		if (deleted > 0) {
			logger.info("Deleted " + deleted + " finished executions past their retention");
		}
		return deleted;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("bgt-retention-"));
		this.scheduler = executor;
		executor.scheduleWithFixedDelay(() -> {
			try {
				purge();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not delete finished executions past their retention", ex);
			}
		}, this.interval.toMillis(), this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		if (executor != null) {
			// No interrupts: a thread interrupted inside a JDBC call can close an H2 database.
			executor.shutdown();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
