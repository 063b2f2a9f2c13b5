package dev.backgroundtasks.worker;

/**
 * How many executions the worker's dispatcher claims from the slots it found free: not the part of the
 * prefetch that recent durations say is not worth claiming ahead (see {@link ExecutionDurations}), and
 * not a handful at a time while the threads still have claimed work queued, so that one claim takes
 * many rows instead of one statement per finished execution.
 */
final class ClaimSizing {

	private ClaimSizing() {
	}

	/**
	 * @param free the slots the dispatcher holds, at least 1
	 * @param ahead how many executions are worth claiming ahead now
	 * ({@link ExecutionDurations#prefetch(int, int)})
	 * @param prefetch the configured prefetch, the most that is ever claimed ahead
	 * @param queuedWork whether the threads have claimed executions waiting in the local queue
	 * @return how many to claim, how many slots to give back, and what to wait for when claiming none
	 */
	static Size size(int free, int ahead, int prefetch, boolean queuedWork) {
		int room = Math.min(free, free - (prefetch - ahead));
		if (room <= 0) {
			return new Size(0, free, 1);
		}
		// Half of what is worth claiming ahead per statement: the other half keeps the threads busy while
		// the claim is on its way.
		int batch = Math.max(1, ahead / 2);
		if (room < batch && queuedWork) {
			return new Size(0, free, batch);
		}
		return new Size(room, free - room, 1);
	}

	/**
	 * What the dispatcher does with the slots it holds.
	 *
	 * @param claim how many executions to claim now; {@code 0} for none
	 * @param release how many of the slots to give back now; every slot not claimed for
	 * @param wakeAt how many free slots make a claim worthwhile: {@code 1} when any finished execution
	 * does; more when claiming none waits for a batch of free slots
	 */
	record Size(int claim, int release, int wakeAt) {

		/**
		 * @return whether this claims none and waits for {@link #wakeAt()} free slots, not only for the next
		 * wake-up
		 */
		boolean waitsForBatch() {
			return this.claim == 0 && this.wakeAt > 1;
		}

	}

}
