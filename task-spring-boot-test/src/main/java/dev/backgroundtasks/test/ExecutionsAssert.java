package dev.backgroundtasks.test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskTrigger;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on some executions of one task, picked by {@link BackgroundTasksAssert}: each {@code with…}
 * method keeps those that match and fails, listing every execution of the test, when none does.
 */
public class ExecutionsAssert extends AbstractAssert<ExecutionsAssert, List<Execution>> {

	private final List<Execution> all;

	private final String described;

	private final BackgroundTasksTester tester;

	ExecutionsAssert(List<Execution> picked, List<Execution> all, String described, BackgroundTasksTester tester) {
		super(picked, ExecutionsAssert.class);
		this.all = all;
		this.described = described;
		this.tester = tester;
	}

	/**
	 * @param params the params, exactly (numbers compare by value)
	 * @return the executions submitted with exactly these params
	 */
	public ExecutionsAssert withParams(Map<String, ?> params) {
		return keep("with params " + params, (execution) -> JsonValues.same(params, execution.params()));
	}

	/**
	 * @param name a param name
	 * @param value its value (numbers compare by value)
	 * @return the executions submitted with this param among others
	 */
	public ExecutionsAssert withParam(String name, @Nullable Object value) {
		return keep("with param " + name + "=" + value, (execution) -> execution.params().containsKey(name)
				&& JsonValues.same(value, execution.params().get(name)));
	}

	/**
	 * @param trigger what created them
	 * @return the executions created this way
	 */
	public ExecutionsAssert withTrigger(TaskTrigger trigger) {
		return keep("triggered by " + trigger, (execution) -> execution.trigger() == trigger);
	}

	/**
	 * @param type an exception class
	 * @return the executions whose last error is of this class or a subclass
	 */
	public ExecutionsAssert withError(Class<? extends Throwable> type) {
		return keep("with an error of type " + type.getName(), (execution) -> isA(execution.error(), type));
	}

	/**
	 * @param message the message, exactly
	 * @return the executions whose last error has this message
	 */
	public ExecutionsAssert withErrorMessage(String message) {
		return keep("with the error message \"" + message + "\"",
				(execution) -> execution.error() != null && message.equals(execution.error().message()));
	}

	/**
	 * @param part part of the message
	 * @return the executions whose last error message contains it
	 */
	public ExecutionsAssert withErrorMessageContaining(String part) {
		return keep("with an error message containing \"" + part + "\"", (execution) -> execution.error() != null
				&& execution.error().message() != null && execution.error().message().contains(part));
	}

	/**
	 * @param attempts how many attempts
	 * @return the executions that made exactly this many attempts
	 */
	public ExecutionsAssert withAttempts(int attempts) {
		return keep("after " + attempts + " attempt(s)", (execution) -> execution.attempt() == attempts);
	}

	/**
	 * Verifies that exactly so many executions match.
	 * @param count how many
	 * @return this
	 */
	public ExecutionsAssert times(int count) {
		if (this.actual.size() != count) {
			fail("Expected " + count + ((count == 1) ? " execution " : " executions ") + this.described,
					"found " + this.actual.size());
		}
		return this;
	}

	/**
	 * Verifies that exactly one execution matches.
	 * @return this
	 */
	public ExecutionsAssert once() {
		return times(1);
	}

	/**
	 * @return the one execution that matches, for further checks
	 */
	public Execution single() {
		once();
		return this.actual.get(0);
	}

	/**
	 * @return the executions that match, oldest first
	 */
	public List<Execution> executions() {
		return this.actual;
	}

	private ExecutionsAssert keep(String condition, Predicate<Execution> test) {
		List<Execution> kept = this.actual.stream().filter(test).toList();
		String narrowed = this.described + ", " + condition;
		ExecutionsAssert next = new ExecutionsAssert(kept, this.all, narrowed, this.tester);
		if (kept.isEmpty()) {
			next.fail("Expected an execution " + narrowed, "found none");
		}
		return next;
	}

	private void fail(String expectation, String found) {
		failWithMessage("%s", expectation + " since the test started, but " + found + " (test clock at "
				+ this.tester.now() + "); executions of the test:" + System.lineSeparator() + describe(this.all));
	}

	private static boolean isA(@Nullable ExecutionError error, Class<? extends Throwable> type) {
		if (error == null) {
			return false;
		}
		if (error.type().equals(type.getName())) {
			return true;
		}
		try {
			return type.isAssignableFrom(Class.forName(error.type(), false, type.getClassLoader()));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * @param executions some executions
	 * @return one line per execution: task, state, params, attempts, fire or due time, error
	 */
	static String describe(List<Execution> executions) {
		if (executions.isEmpty()) {
			return "  (none)";
		}
		return executions.stream().map(ExecutionsAssert::line).collect(Collectors.joining(System.lineSeparator()));
	}

	private static String line(Execution execution) {
		StringBuilder line = new StringBuilder("  - '").append(execution.task())
			.append("' ")
			.append(execution.status())
			.append(" (")
			.append(execution.trigger())
			.append(") params ")
			.append(execution.params())
			.append(", attempt ")
			.append(execution.attempt())
			.append('/')
			.append(execution.maxAttempts())
			.append(", due ")
			.append(execution.runAt());
		ExecutionError error = execution.error();
		if (error != null) {
			line.append(", error ").append(error.type()).append(": ").append(error.message());
		}
		return line.toString();
	}

}
