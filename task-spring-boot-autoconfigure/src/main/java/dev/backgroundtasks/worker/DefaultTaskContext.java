package dev.backgroundtasks.worker;

import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.execution.ClaimedExecution;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskContext} of one attempt, or a stage of it. Reports only change memory under the
 * attempt's lock and mark it dirty; {@link AttemptContexts} writes the latest values a few times per
 * second. A stage maps its own fraction into its share of its parent's total.
 */
final class DefaultTaskContext implements TaskContext {

	private final Attempt attempt;

	private final @Nullable DefaultTaskContext parent;

	private final String label;

	/** Where this stage starts, in the parent's units. */
	private final double base;

	private final double share;

	private long total;

	private double done;

	DefaultTaskContext(Attempt attempt) {
		this(attempt, null, "", 0, 1);
	}

	private DefaultTaskContext(Attempt attempt, @Nullable DefaultTaskContext parent, String label, double base,
			double share) {
		this.attempt = attempt;
		this.parent = parent;
		this.label = label;
		this.base = base;
		this.share = share;
	}

	Attempt attemptState() {
		return this.attempt;
	}

	@Override
	public TaskContext total(long total) {
		synchronized (this.attempt) {
			this.total = Math.max(0, total);
			update();
		}
		return this;
	}

	@Override
	public TaskContext progress(long current) {
		synchronized (this.attempt) {
			this.done = Math.max(0, current);
			update();
		}
		return this;
	}

	/** Holds the attempt's lock. */
	private void update() {
		DefaultTaskContext up = this.parent;
		if (up == null) {
			this.attempt.progress(Math.round(this.done), this.total);
			return;
		}
		double fraction = (this.total > 0) ? Math.min(1, this.done / this.total) : 0;
		up.done = Math.min(up.total, this.base + this.share * up.total * fraction);
		up.update();
	}

	@Override
	public TaskContext message(@Nullable String text) {
		synchronized (this.attempt) {
			this.attempt.message((text == null) ? (this.label.isEmpty() ? null : this.label)
					: (this.label.isEmpty() ? text : this.label + ": " + text));
		}
		return this;
	}

	@Override
	public TaskContext subContext(String label, double share) {
		if (!(share > 0 && share <= 1)) {
			throw new IllegalArgumentException("The share of a sub-context must be more than 0 and at most 1, not "
					+ share);
		}
		synchronized (this.attempt) {
			if (this.total <= 0) {
				this.total = 100;
				update();
			}
			String path = this.label.isEmpty() ? label : this.label + " / " + label;
			this.attempt.message(path);
			return new DefaultTaskContext(this.attempt, this, path, this.done, share);
		}
	}

	@Override
	public void event(String name, @Nullable Object data) {
		this.attempt.owner.event(this.attempt, name, data);
	}

	@Override
	public void flush() {
		this.attempt.owner.flush(this.attempt);
	}

	@Override
	public boolean isCancelled() {
		return this.attempt.stopRequested.getAsBoolean();
	}

	@Override
	public UUID executionId() {
		return this.attempt.claim.id();
	}

	@Override
	public int attempt() {
		return this.attempt.claim.attempt();
	}

	@Override
	public String toString() {
		return "TaskContext of execution " + executionId() + ", attempt " + attempt()
				+ (this.label.isEmpty() ? "" : ", stage " + this.label);
	}

	/**
	 * The progress state shared by an attempt's contexts, and their lock.
	 */
	static final class Attempt {

		final ClaimedExecution claim;

		final BooleanSupplier stopRequested;

		final AttemptContexts owner;

		private long current;

		private long total;

		private @Nullable String message;

		private boolean dirty;

		private boolean writing;

		Attempt(ClaimedExecution claim, BooleanSupplier stopRequested, AttemptContexts owner) {
			this.claim = claim;
			this.stopRequested = stopRequested;
			this.owner = owner;
		}

		private void progress(long current, long total) {
			if (current != this.current || total != this.total) {
				this.current = current;
				this.total = total;
				this.dirty = true;
			}
		}

		private void message(@Nullable String message) {
			this.message = message;
			this.dirty = true;
		}

		/**
		 * @return the progress to write, or {@code null} when nothing changed since the last call
		 */
		synchronized @Nullable ExecutionProgress takeChanges() {
			if (!this.dirty) {
				return null;
			}
			this.dirty = false;
			this.writing = true;
			return ExecutionProgress.of(this.current, this.total, this.message);
		}

		synchronized void unwritten() {
			this.dirty = true;
		}

		synchronized void writeEnded() {
			this.writing = false;
		}

		/**
		 * @return whether everything reported is written and no write is under way
		 */
		synchronized boolean isSettled() {
			return !this.dirty && !this.writing;
		}

	}

}
