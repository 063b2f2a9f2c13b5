package dev.backgroundtasks.sample.demo;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskParam;

import org.springframework.stereotype.Component;

/**
 * The smallest tasks there are: useful to try the REST API by hand.
 */
@Component
public class DemoTasks {

	@BackgroundTask(description = "Greets someone by name", tags = { "demo", "quick" })
	public String greeting(@TaskParam(defaultValue = "World", description = "Who to greet") String name) {
		return "Hello, " + name + "!";
	}

	@BackgroundTask(description = "Adds two integers", tags = { "demo", "math", "quick" })
	public int add(@TaskParam(description = "The first addend") int a,
			@TaskParam(description = "The second addend") int b) {
		return Math.addExact(a, b);
	}

	@BackgroundTask(name = "always-fails", description = "Fails every time, to show how failures are recorded",
			tags = "demo", retry = @Retry(maxAttempts = 1))
	public void alwaysFails() {
		throw new IllegalStateException("This task always fails: it demonstrates a FAILED execution");
	}

}
