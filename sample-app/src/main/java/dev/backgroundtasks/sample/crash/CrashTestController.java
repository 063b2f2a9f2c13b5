package dev.backgroundtasks.sample.crash;

import java.util.Map;

import dev.backgroundtasks.TaskClient;

import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Submits {@code record-run} with seq 1 to {@code count} in one request, through {@link TaskClient}.
 * An endpoint rather than a task: the submitting node is the one the request reaches, so killing the
 * other node can never cut a submission short (or repeat it).
 */
@RestController
@Profile("crash-test")
public class CrashTestController {

	private static final int MAX_COUNT = 1_000_000;

	private static final int BATCH = 200;

	private final TaskClient tasks;

	private final TransactionTemplate transaction;

	public CrashTestController(TaskClient tasks, PlatformTransactionManager transactionManager) {
		this.tasks = tasks;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@PostMapping("/crash-test/submissions")
	public ResponseEntity<SubmittedRuns> submit(@RequestParam int count) {
		if (count < 1 || count > MAX_COUNT) {
			return ResponseEntity.badRequest().build();
		}
		long start = System.nanoTime();
		// Batches in one transaction each: fast, and workers already run the first while the rest is stored.
		for (int first = 1; first <= count; first += BATCH) {
			int from = first;
			int to = Math.min(count, first + BATCH - 1);
			this.transaction.executeWithoutResult((status) -> {
				for (int seq = from; seq <= to; seq++) {
					this.tasks.submit("record-run", Map.of("seq", seq));
				}
			});
		}
		return ResponseEntity.ok(new SubmittedRuns(count, (System.nanoTime() - start) / 1_000_000));
	}

	/**
	 * The answer to a submission.
	 * @param count how many executions were submitted
	 * @param millis how long submitting took
	 */
	public record SubmittedRuns(int count, long millis) {

	}

}
