package dev.backgroundtasks.web;

/**
 * Who sees the stack trace of a failed execution in REST responses; everyone sees its error type and
 * message.
 */
public enum StackTracePolicy {

	/**
	 * Callers who may operate (see {@link ApiAccess#isOperator()}); without Spring Security, or with the
	 * starter's security checks off, everyone.
	 */
	OPERATORS,

	/** Every caller. */
	ALWAYS,

	/** Nobody: the stack trace is empty in every response. */
	NEVER

}
