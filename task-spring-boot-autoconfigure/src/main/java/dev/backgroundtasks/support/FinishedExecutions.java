package dev.backgroundtasks.support;

import java.util.UUID;

/**
 * Told by the worker about every execution that reached a terminal state on this node, once its
 * outcome is written: whoever waits for that execution's result on this node wakes at once instead of
 * at its next read.
 */
@FunctionalInterface
public interface FinishedExecutions {

	/** Tells nobody. */
	FinishedExecutions NONE = (id) -> {
	};

	/**
	 * @param id the execution that finished
	 */
	void finished(UUID id);

}
