package dev.backgroundtasks.it.secured.app;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskParam;

import org.springframework.stereotype.Component;

/**
 * Tasks of the secured application.
 */
@Component
public class SecuredTasks {

	@BackgroundTask
	public String greet(@TaskParam(defaultValue = "World") String name) {
		return "Hello, " + name + "!";
	}

	/** Fails at once, for the stack-trace policy. */
	@BackgroundTask(retry = @Retry(maxAttempts = 1))
	public void fail() {
		throw new IllegalStateException("failed on purpose");
	}

	/** Enabled and disabled by the tests, so that {@code greet} stays enabled. */
	@BackgroundTask
	public void quiet() {
	}

}
