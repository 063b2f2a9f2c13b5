package dev.backgroundtasks;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a batch cannot be stored as given: a member or the callback is invalid (unknown task, task
 * disabled, params that do not fit; the cause is the exception a single submission would throw), or the
 * batch is empty or too large. Nothing is stored.
 */
public class InvalidBatchException extends BackgroundTaskException {

	private final @Nullable Integer index;

	private final @Nullable String task;

	private final List<ParameterProblem> problems;

	/**
	 * A problem of the batch as a whole.
	 * @param message what is wrong
	 */
	public InvalidBatchException(String message) {
		super(message);
		this.index = null;
		this.task = null;
		this.problems = List.of();
	}

	/**
	 * A problem of one member, or of the callback.
	 * @param index the member's index (from 0, in the order added), or {@code null} for the callback
	 * @param task the task the member or callback names
	 * @param cause what a single submission of it would throw
	 */
	public InvalidBatchException(@Nullable Integer index, String task, BackgroundTaskException cause) {
		super(((index != null) ? "Batch member " + index : "Batch callback (onComplete)") + " is invalid: "
				+ cause.getMessage() + "; nothing was stored", cause);
		this.index = index;
		this.task = task;
		this.problems = (cause instanceof InvalidTaskParametersException invalid) ? invalid.getProblems() : List.of();
	}

	/**
	 * @return the index of the invalid member (from 0), or {@code null} when the callback or the batch as a
	 * whole is invalid
	 */
	public @Nullable Integer getIndex() {
		return this.index;
	}

	/**
	 * @return whether the callback is what is invalid
	 */
	public boolean isCallback() {
		return this.index == null && this.task != null;
	}

	/**
	 * @return the task of the invalid member or callback, or {@code null} for a problem of the whole batch
	 */
	public @Nullable String getTask() {
		return this.task;
	}

	/**
	 * @return the parameter problems of the invalid member or callback, or none when its problem is not
	 * about params
	 */
	public List<ParameterProblem> getProblems() {
		return this.problems;
	}

}
