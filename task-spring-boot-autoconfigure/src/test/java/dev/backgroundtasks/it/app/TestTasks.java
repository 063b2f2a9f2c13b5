package dev.backgroundtasks.it.app;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskParam;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tasks the end-to-end tests run. Class-level {@code @Transactional}: invoked through a proxy.
 */
@Component
@Transactional
public class TestTasks {

	/** How many times {@link #count} ran, per key: the cluster test checks each ran exactly once. */
	public static final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final NoteRepository notes;

	public TestTasks(NoteRepository notes) {
		this.notes = notes;
	}

	@BackgroundTask(description = "Adds two numbers", tags = { "math", "quick" })
	public int add(int a, int b) {
		return a + b;
	}

	@BackgroundTask(name = "greet", tags = { "quick" })
	public String greeting(@TaskParam(defaultValue = "World", description = "who to greet") String name) {
		return "Hello, " + name + "!";
	}

	@BackgroundTask(tags = { "math" })
	public Summary describe(Point point, List<Integer> numbers, Map<String, Integer> weights, Color color, Instant at,
			@TaskParam(defaultValue = "none") String label, Optional<String> comment) {
		return new Summary(point, numbers, weights, color, at, label, comment);
	}

	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public void explode(String reason) {
		throw new IllegalStateException("Exploded: " + reason);
	}

	@BackgroundTask
	public String saveNote(long id, String text) {
		this.notes.save(new Note(id, text));
		return this.notes.findById(id).map(Note::getText).orElseThrow();
	}

	@BackgroundTask
	public void count(int key) throws InterruptedException {
		runs.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		Thread.sleep(1);
	}

}
