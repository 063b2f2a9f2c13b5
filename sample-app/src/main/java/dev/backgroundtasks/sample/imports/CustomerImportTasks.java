package dev.backgroundtasks.sample.imports;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskParam;

import org.springframework.stereotype.Component;

/**
 * An import-style task of about ten seconds in three stages (download, validate, store): it reports
 * progress and messages through its {@link TaskContext}, tells watchers how many rows it rejected with a
 * custom event, and stops cleanly when cancelled. The work itself is simulated with short sleeps.
 */
@Component
public class CustomerImportTasks {

	private static final long STEP_MILLIS = 100;

	@BackgroundTask(name = "import-customers", description = "Imports a customer file in three stages (about 10 s)",
			tags = { "demo", "import" }, retry = @Retry(maxAttempts = 1))
	public ImportSummary importCustomers(
			@TaskParam(defaultValue = "1000", description = "How many rows the file has") int rows,
			TaskContext context) throws InterruptedException {
		TaskContext download = context.subContext("Downloading", 0.2).total(20);
		for (int chunk = 1; chunk <= 20; chunk++) {
			if (!step(context)) {
				return new ImportSummary(rows, 0, 0);
			}
			download.progress(chunk).message(chunk * 5 + "% of customers.csv");
		}
		TaskContext validate = context.subContext("Validating", 0.3).total(rows);
		List<Integer> rejected = IntStream.rangeClosed(1, rows).filter((row) -> row % 97 == 0).boxed().toList();
		for (int step = 1; step <= 30; step++) {
			if (!step(context)) {
				return new ImportSummary(rows, 0, 0);
			}
			validate.progress((long) rows * step / 30).message((long) rows * step / 30 + " of " + rows + " rows");
		}
		context.event("rows-rejected", Map.of("count", rejected.size(), "rows", rejected));
		TaskContext store = context.subContext("Storing", 0.5).total(rows - rejected.size());
		int imported = 0;
		for (int step = 1; step <= 50; step++) {
			if (!step(context)) {
				return new ImportSummary(rows, imported, rejected.size());
			}
			imported = (rows - rejected.size()) * step / 50;
			store.progress(imported).message(imported + " customers stored");
		}
		return new ImportSummary(rows, imported, rejected.size());
	}

	/**
	 * Does one step of work.
	 * @return whether to go on: {@code false} once the import was asked to stop
	 */
	private static boolean step(TaskContext context) throws InterruptedException {
		if (context.isCancelled()) {
			return false;
		}
		// Cancelling also interrupts the thread: the sleep ends at once.
		Thread.sleep(STEP_MILLIS);
		return true;
	}

}
