package dev.backgroundtasks.test;

/**
 * Entry point of the test kit's AssertJ assertions:
 * <pre>{@code
 * assertThat(tester).succeeded("send-invoice").withParams(Map.of("orderId", 42)).once();
 * assertThat(tester).failed("import").withError(IllegalStateException.class).withErrorMessageContaining("row 7");
 * }</pre>
 */
public final class BackgroundTasksAssertions {

	private BackgroundTasksAssertions() {
	}

	/**
	 * @param tester the tester of the test's context
	 * @return assertions on the executions created since the test method started
	 */
	public static BackgroundTasksAssert assertThat(BackgroundTasksTester tester) {
		return new BackgroundTasksAssert(tester);
	}

}
