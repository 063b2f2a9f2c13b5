package dev.backgroundtasks.it.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskSnoozedException;

import org.springframework.stereotype.Component;

/**
 * Tasks that exercise the engine: failures, retries, timeouts, long runs, a concurrency limit, a concurrency
 * limit per partition and a rate limit.
 */
@Component
public class EngineTasks {

	/** How often each {@link #flaky} key has been attempted. */
	public static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	/** The attempt number each run of each {@link #snoozy} key saw, in order. */
	public static final Map<String, List<Integer>> snoozyRuns = new ConcurrentHashMap<>();

	/** How many {@link #limited} executions run right now, on any node of this JVM. */
	public static final AtomicInteger limitedRunning = new AtomicInteger();

	/** The most {@link #limited} executions seen running at once. */
	public static final AtomicInteger limitedPeak = new AtomicInteger();

	/** How many {@link #perCustomer} executions run right now, per customer, on any node of this JVM. */
	public static final Map<String, AtomicInteger> customerRunning = new ConcurrentHashMap<>();

	/** The most {@link #perCustomer} executions seen running at once, per customer. */
	public static final Map<String, AtomicInteger> customerPeak = new ConcurrentHashMap<>();

	/** How many customers have a {@link #perCustomer} execution running right now. */
	public static final AtomicInteger customersRunning = new AtomicInteger();

	/** The most customers seen with {@link #perCustomer} executions running at once. */
	public static final AtomicInteger customersPeak = new AtomicInteger();

	/**
	 * Two at once per customer, cluster-wide; records how many run per customer and how many customers run
	 * at once.
	 */
	@BackgroundTask(concurrency = 2, partitionBy = "customer")
	public void perCustomer(String customer) throws InterruptedException {
		AtomicInteger running = customerRunning.computeIfAbsent(customer, (key) -> new AtomicInteger());
		int now = running.incrementAndGet();
		if (now == 1) {
			customersPeak.accumulateAndGet(customersRunning.incrementAndGet(), Math::max);
		}
		customerPeak.computeIfAbsent(customer, (key) -> new AtomicInteger()).accumulateAndGet(now, Math::max);
		try {
			Thread.sleep(50);
		}
		finally {
			if (running.decrementAndGet() == 0) {
				customersRunning.decrementAndGet();
			}
		}
	}

	/**
	 * At most five starts in any 500 ms, cluster-wide.
	 */
	@BackgroundTask(rate = "5/500ms")
	public int rated(int n) {
		return n;
	}

	/** The starts and ends of {@link #step} runs, in the order they happened, on any node of this JVM. */
	public static final List<String> steps = new CopyOnWriteArrayList<>();

	/** The counts each call of {@link #batchDone} got, by batch id. */
	public static final Map<String, List<Map<String, Integer>>> batchCallbacks = new ConcurrentHashMap<>();

	/** A member of batches: sleeps, then fails when asked to, with one attempt only. */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public String batchMember(long millis, boolean fail) throws InterruptedException {
		Thread.sleep(millis);
		if (fail) {
			throw new IllegalStateException("Member asked to fail");
		}
		return "done";
	}

	/** The callback of batches: records its call. */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public String batchDone(String batchId, Map<String, Integer> counts, String label) {
		batchCallbacks.computeIfAbsent(batchId, (id) -> new CopyOnWriteArrayList<>()).add(Map.copyOf(counts));
		return label + " " + counts.get("SUCCESSFUL") + "/" + counts.get("FAILED") + "/" + counts.get("CANCELLED");
	}

	@BackgroundTask
	public String flaky(String key, int failures) {
		int attempt = attempts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		if (attempt <= failures) {
			throw new IllegalStateException("Failure " + attempt + " of " + key);
		}
		return key + " succeeded on attempt " + attempt;
	}

	/**
	 * Snoozes for 200 ms the first {@code snoozes} times it runs, then returns; one attempt only, so a snooze
	 * that used an attempt would fail it.
	 */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public String snoozy(String key, int snoozes, TaskContext context) {
		List<Integer> runs = snoozyRuns.computeIfAbsent(key, (k) -> new CopyOnWriteArrayList<>());
		runs.add(context.attempt());
		if (runs.size() <= snoozes) {
			throw new TaskSnoozedException(Duration.ofMillis(200), "run " + runs.size() + " of " + key);
		}
		return key + " ran " + runs.size() + " times";
	}

	@BackgroundTask(retry = @Retry(maxAttempts = 2, minDelay = "1s", maxDelay = "2s"))
	public String slowRetry(String key) {
		return flaky(key, 1);
	}

	@BackgroundTask(retry = @Retry(maxAttempts = 5, noRetryFor = IllegalArgumentException.class))
	public void refuse(String why) {
		throw new IllegalArgumentException(why);
	}

	@BackgroundTask(timeout = "200ms", retry = @Retry(maxAttempts = 1))
	public void overrun() throws InterruptedException {
		Thread.sleep(10_000);
	}

	/**
	 * Times out after 200 ms, then goes on for {@code millis} regardless of the interrupt, as a task stuck in
	 * code that swallows interrupts does.
	 */
	@BackgroundTask(timeout = "200ms", retry = @Retry(maxAttempts = 1))
	public String stubborn(long millis) {
		long end = System.nanoTime() + millis * 1_000_000;
		boolean interrupted = false;
		while (System.nanoTime() < end) {
			try {
				Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		return interrupted ? "ignored the interrupt" : "not interrupted";
	}

	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public String sleepy(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return "slept " + millis;
	}

	/**
	 * Records its start, sleeps, records its end, then fails when asked: for ordering dependencies.
	 */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public String step(String name, long millis, boolean fail) throws InterruptedException {
		steps.add("start " + name);
		Thread.sleep(millis);
		steps.add("end " + name);
		if (fail) {
			throw new IllegalStateException("Step " + name + " failed");
		}
		return name;
	}

	@BackgroundTask(concurrency = 1)
	public void limited() throws InterruptedException {
		int now = limitedRunning.incrementAndGet();
		limitedPeak.accumulateAndGet(now, Math::max);
		try {
			Thread.sleep(30);
		}
		finally {
			limitedRunning.decrementAndGet();
		}
	}

}
