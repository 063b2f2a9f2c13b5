package dev.backgroundtasks.command;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import dev.backgroundtasks.support.WorkSignal;
import org.jspecify.annotations.Nullable;

/**
 * What happens right after an execution is stored: in {@code queue} mode the local worker is woken
 * once the transaction commits; in {@code immediate} mode the execution runs in the caller's thread.
 */
@FunctionalInterface
public interface ExecutionDispatcher {

	/**
	 * @param id the id of the execution just stored
	 */
	void dispatch(UUID id);

	/**
	 * @param ids the ids of executions just stored together
	 */
	default void dispatchAll(List<UUID> ids) {
		ids.forEach(this::dispatch);
	}

	/**
	 * @return what starts a submission on this node's idle worker thread at once, or {@code null}
	 */
	default @Nullable LocalStart localStart() {
		return null;
	}

	/**
	 * @param signal the local worker's signal
	 * @param localStart finds what starts submissions on an idle local thread at once (asked at each
	 * submission, so that a worker created after this dispatcher is found), or gives {@code null}
	 * @return a dispatcher that wakes the local worker after commit
	 */
	static ExecutionDispatcher queue(WorkSignal signal, Supplier<@Nullable LocalStart> localStart) {
		return new ExecutionDispatcher() {

			@Override
			public @Nullable LocalStart localStart() {
				return localStart.get();
			}

			@Override
			public void dispatch(UUID id) {
				signal.wakeAfterCommit();
			}

			@Override
			public void dispatchAll(List<UUID> ids) {
				signal.wakeAfterCommit();
			}

		};
	}

}
