package dev.backgroundtasks;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when the params of a submission do not fit the task: each missing, unknown or ill-typed
 * parameter is named. Nothing is stored.
 */
public class InvalidTaskParametersException extends BackgroundTaskException {

	private final String task;

	private final List<ParameterProblem> problems;

	public InvalidTaskParametersException(String task, List<ParameterProblem> problems) {
		super("Invalid params for task '" + task + "': "
				+ problems.stream().map(ParameterProblem::toString).collect(Collectors.joining("; ")));
		this.task = task;
		this.problems = List.copyOf(problems);
	}

	/**
	 * @return the task name
	 */
	public String getTask() {
		return this.task;
	}

	/**
	 * @return every problem found, never empty
	 */
	public List<ParameterProblem> getProblems() {
		return this.problems;
	}

}
