package dev.backgroundtasks.execution;

/**
 * Told when a batch's callback execution is stored: the store writes it when a member's end finishes the
 * batch, outside any submission, so whoever wakes workers, runs it at once ({@code immediate} mode),
 * publishes its events or counts submissions learns of it here.
 */
@FunctionalInterface
public interface BatchCallbackListener {

	/** A listener that does nothing. */
	BatchCallbackListener NONE = (callback) -> {
	};

	/**
	 * Called after the transaction that stored the callback committed, or inside the caller's transaction
	 * that it joined (then what the listener does must wait for that commit, as a wake-up after commit does).
	 * @param callback the callback execution, now {@code READY}
	 */
	void callbackStored(NewExecution callback);

}
