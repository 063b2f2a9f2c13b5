package dev.backgroundtasks.test;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Compares params as JSON does: numbers by value whatever their Java type ({@code 20} equals {@code 20L}),
 * maps and lists element by element.
 */
final class JsonValues {

	private JsonValues() {
	}

	static boolean same(@Nullable Object expected, @Nullable Object actual) {
		if (expected instanceof Number one && actual instanceof Number other) {
			return new BigDecimal(one.toString()).compareTo(new BigDecimal(other.toString())) == 0;
		}
		if (expected instanceof Map<?, ?> one && actual instanceof Map<?, ?> other) {
			return one.size() == other.size() && one.entrySet()
				.stream()
				.allMatch((entry) -> other.containsKey(String.valueOf(entry.getKey()))
						&& same(entry.getValue(), other.get(String.valueOf(entry.getKey()))));
		}
		if (expected instanceof List<?> one && actual instanceof List<?> other) {
			if (one.size() != other.size()) {
				return false;
			}
			Iterator<?> left = one.iterator();
			Iterator<?> right = other.iterator();
			while (left.hasNext()) {
				if (!same(left.next(), right.next())) {
					return false;
				}
			}
			return true;
		}
		if (expected instanceof Enum<?> constant) {
			return constant.name().equals(actual);
		}
		return (expected == null) ? actual == null : expected.equals(actual);
	}

}
