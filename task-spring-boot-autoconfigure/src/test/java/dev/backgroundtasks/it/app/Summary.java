package dev.backgroundtasks.it.app;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link TestTasks#describe} returns: everything it was given, as bound.
 */
public record Summary(Point point, List<Integer> numbers, Map<String, Integer> weights, Color color, Instant at,
		String label, Optional<String> comment) {

}
