package dev.backgroundtasks.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for task names.
 */
public final class TaskNames {

	private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9_-]+$");

	private TaskNames() {
	}

	/**
	 * @param name a candidate name
	 * @return whether it matches {@code ^[a-zA-Z0-9_-]+$}
	 */
	public static boolean isValid(String name) {
		return VALID.matcher(name).matches();
	}

	/**
	 * The form under which configuration keys match a task: lower case without {@code -} and
	 * {@code _}, because environment variables lose dashes. Two tasks may not share it.
	 * @param name a task name
	 * @return its canonical form
	 */
	public static String canonical(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

}
