package dev.backgroundtasks.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The text form of a trace context stored with an execution: the propagation headers the tracer's
 * propagator writes (W3C {@code traceparent} by default, B3 or others when configured), one
 * {@code name: value} per line. Header values hold no line breaks.
 */
final class TraceContextText {

	/**
	 * The size of the {@code trace_context} column.
	 */
	static final int MAX_LENGTH = 1000;

	private TraceContextText() {
	}

	static @Nullable String encode(Map<String, String> headers) {
		StringBuilder text = new StringBuilder();
		headers.forEach((name, value) -> {
			if (!name.contains(":") && !name.contains("\n") && !value.contains("\n")) {
				text.append((text.length() > 0) ? "\n" : "").append(name).append(": ").append(value);
			}
		});
		return (text.length() > 0 && text.length() <= MAX_LENGTH) ? text.toString() : null;
	}

	static Map<String, String> decode(@Nullable String text) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (text == null) {
			return headers;
		}
		for (String line : text.split("\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
			}
		}
		return headers;
	}

}
