package dev.backgroundtasks.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Before each test method of a {@link BackgroundTasksTest}, starts the tester's recording afresh, so the
 * assertions see the executions that test method created and not those of earlier ones sharing the
 * context (or the database).
 */
public class RecordingTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (TestContextAnnotationUtils.hasAnnotation(testContext.getTestClass(), BackgroundTasksTest.class)) {
			testContext.getApplicationContext()
				.getBeanProvider(BackgroundTasksTester.class)
				.ifAvailable(BackgroundTasksTester::startRecording);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

}
