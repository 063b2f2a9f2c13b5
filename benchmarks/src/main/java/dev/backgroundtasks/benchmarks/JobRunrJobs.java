package dev.backgroundtasks.benchmarks;

/**
 * JobRunr's jobs: public static methods, so its server needs no IoC container to run them.
 */
public final class JobRunrJobs {

	private JobRunrJobs() {
	}

	public static void noop() {
		DrainCounter.ran();
	}

	public static void pickup(long stamp) {
		PickupRecorder.started(stamp);
	}

}
