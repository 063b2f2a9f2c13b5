package dev.backgroundtasks.it.fault;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The size of the fault tests, from the system property {@value #PROPERTY}: {@code fast} (the default: the
 * suite) or {@code long} (scripts/fault-test.sh). Each test also prints one {@code FAULT-SUMMARY} line of
 * figures, which the script collects.
 */
final class FaultScale {

	static final String PROPERTY = "bgt.fault.scale";

	private static final boolean longScale = decide();

	private FaultScale() {
	}

	/**
	 * @return {@code fast} or {@code long}
	 */
	static String name() {
		return longScale ? "long" : "fast";
	}

	static int of(int fast, int longer) {
		return longScale ? longer : fast;
	}

	static Duration of(Duration fast, Duration longer) {
		return longScale ? longer : fast;
	}

	/**
	 * Prints the figures of one fault on one line, before they are asserted, so a failing run reports them too.
	 * @param fault the fault's short name
	 * @param figures names and values, in order
	 */
	static void summary(String fault, Map<String, ?> figures) {
		System.out.println("FAULT-SUMMARY " + fault + " scale=" + name() + " " + figures.entrySet()
			.stream()
			.map((figure) -> figure.getKey() + "=" + String.valueOf(figure.getValue()).replace(' ', '_'))
			.collect(Collectors.joining(" ")));
	}

	/**
	 * @return seconds with one decimal, for a summary
	 */
	static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
	}

	private static boolean decide() {
		String scale = System.getProperty(PROPERTY, "fast").trim();
		return switch (scale) {
			case "fast", "" -> false;
			case "long" -> true;
			default -> throw new IllegalArgumentException(
					"System property " + PROPERTY + " must be 'fast' or 'long', not '" + scale + "'");
		};
	}

}
