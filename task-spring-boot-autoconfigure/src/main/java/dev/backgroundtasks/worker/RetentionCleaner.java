package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.Map;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.PeriodicJobs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

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

	private final PeriodicJobs jobs = new PeriodicJobs("bgt-retention-",
			(ex) -> logger.warn("Could not delete finished executions past their retention", ex));

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
			while (batch == this.batchSize && this.jobs.isRunning());
		}
		if (deleted > 0) {
			logger.info("Deleted " + deleted + " finished executions past their retention");
		}
		return deleted;
	}

	@Override
	public void start() {
		this.jobs.start();
		this.jobs.every(this.interval, this.interval, this::purge);
	}

	@Override
	public void stop() {
		this.jobs.stop();
	}

	@Override
	public boolean isRunning() {
		return this.jobs.isRunning();
	}

}
