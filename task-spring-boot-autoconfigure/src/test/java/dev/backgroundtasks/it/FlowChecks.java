package dev.backgroundtasks.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.it.app.EngineTasks;

/**
 * What the flow-control scenarios of the engine and cluster tests check: how many attempts started in one
 * window, from the start times the database recorded (never from the test's clock).
 */
final class FlowChecks {

	private FlowChecks() {
	}

	/**
	 * @param handles finished executions, each started once
	 * @param period the window's length
	 * @return the most of them whose {@code startedAt} falls in one window {@code [start, start + period)}
	 * beginning at one of them (the fullest window of any kind begins at a start)
	 */
	static int mostStartsInAnyWindow(List<TaskHandle> handles, Duration period) {
		List<Instant> starts = handles.stream()
			.map((handle) -> Objects.requireNonNull(handle.execution().startedAt()))
			.sorted()
			.toList();
		int most = 0;
		for (int i = 0; i < starts.size(); i++) {
			Instant end = starts.get(i).plus(period);
			int inWindow = 0;
			for (int j = i; j < starts.size() && starts.get(j).isBefore(end); j++) {
				inWindow++;
			}
			most = Math.max(most, inWindow);
		}
		return most;
	}

	static void resetPartitionCounters() {
		EngineTasks.customerRunning.clear();
		EngineTasks.customerPeak.clear();
		EngineTasks.customersRunning.set(0);
		EngineTasks.customersPeak.set(0);
	}

}
