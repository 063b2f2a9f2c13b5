package dev.backgroundtasks;

/**
 * One problem with the params of a submission.
 *
 * @param parameter the parameter name as given or declared
 * @param problem what is wrong with it, for a person to act on
 */
public record ParameterProblem(String parameter, String problem) {

	@Override
	public String toString() {
		return "'" + this.parameter + "': " + this.problem;
	}

}
