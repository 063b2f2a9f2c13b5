package dev.backgroundtasks.web.dashboard;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.springframework.util.ClassUtils;

/**
 * How a parameter is entered in the "Run now" form, told by its type's name: numbers, yes/no, a choice
 * of constants for an enum the application's class loader knows, dates, text, and JSON for anything
 * structured.
 */
final class ParameterInputs {

	private static final Set<String> INTEGERS = Set.of("int", "long", "short", "byte", "java.lang.Integer",
			"java.lang.Long", "java.lang.Short", "java.lang.Byte", "java.math.BigInteger");

	private static final Set<String> DECIMALS = Set.of("double", "float", "java.lang.Double", "java.lang.Float",
			"java.math.BigDecimal");

	private static final Set<String> BOOLEANS = Set.of("boolean", "java.lang.Boolean");

	private static final Set<String> TEXTS = Set.of("char", "java.lang.Character", "java.lang.String",
			"java.lang.CharSequence", "java.util.UUID", "java.time.Instant", "java.time.OffsetDateTime",
			"java.time.ZonedDateTime", "java.time.Duration", "java.time.LocalTime", "java.time.ZoneId",
			"java.net.URI", "java.net.URL");

	private ParameterInputs() {
	}

	/**
	 * @param type a parameter's type name
	 * @return {@code number}, {@code boolean}, {@code enum}, {@code date}, {@code datetime-local},
	 * {@code text} or {@code json}
	 */
	static String input(String type) {
		if (INTEGERS.contains(type) || DECIMALS.contains(type)) {
			return "number";
		}
		if (BOOLEANS.contains(type)) {
			return "boolean";
		}
		if ("java.time.LocalDate".equals(type)) {
			return "date";
		}
		if ("java.time.LocalDateTime".equals(type)) {
			return "datetime-local";
		}
		if (TEXTS.contains(type)) {
			return "text";
		}
		return constants(type).isEmpty() ? "json" : "enum";
	}

	/**
	 * @param type a parameter's type name
	 * @return whether it is a whole number
	 */
	static boolean isInteger(String type) {
		return INTEGERS.contains(type);
	}

	/**
	 * @param type a parameter's type name
	 * @return the names of its constants when it is an enum the application's class loader knows, else
	 * none
	 */
	static List<String> constants(String type) {
		if (!ClassUtils.isPresent(type, null)) {
			return List.of();
		}
		try {
			Class<?> resolved = ClassUtils.forName(type, null);
			if (!resolved.isEnum()) {
				return List.of();
			}
			return Arrays.stream(resolved.getEnumConstants()).map((constant) -> ((Enum<?>) constant).name()).toList();
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return List.of();
		}
	}

}
