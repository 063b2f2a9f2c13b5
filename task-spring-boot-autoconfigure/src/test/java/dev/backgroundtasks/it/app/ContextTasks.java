package dev.backgroundtasks.it.app;

import java.util.Map;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskContext;

import org.springframework.stereotype.Component;

/**
 * Tasks that use their {@link TaskContext}: stages, many reports, cooperative cancellation, failures.
 */
@Component
public class ContextTasks {

	/** Two stages, a flush after every step and a custom event between them. */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public String staged(TaskContext context) {
		TaskContext reading = context.subContext("Reading", 0.5).total(4);
		for (int row = 1; row <= 4; row++) {
			reading.progress(row).message("row " + row);
			context.flush();
		}
		context.event("halfway", Map.of("rows", 4, "execution", context.executionId().toString()));
		TaskContext writing = context.subContext("Writing", 0.5).total(2);
		for (int batch = 1; batch <= 2; batch++) {
			writing.progress(batch);
			context.flush();
		}
		return "done";
	}

	/** Reports progress {@code count} times as fast as it can. */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public long manyReports(long count, TaskContext context) {
		context.total(count);
		for (long i = 1; i <= count; i++) {
			context.progress(i);
		}
		return count;
	}

	/** Works in small steps until it is asked to stop. */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public long cooperative(TaskContext context) {
		long step = 0;
		while (!context.isCancelled()) {
			context.progress(++step).message("step " + step);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return step;
	}

	/** Fails every attempt, quickly retried once. */
	@BackgroundTask(retry = @Retry(maxAttempts = 2, minDelay = "100ms", maxDelay = "200ms"))
	public void failsTwice() {
		throw new IllegalStateException("fails every time");
	}

}
