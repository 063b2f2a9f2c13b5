package dev.backgroundtasks.it.dashboard.app;

import java.time.LocalDate;
import java.util.List;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskParam;

import org.springframework.stereotype.Component;

@Component
public class DashboardTasks {

	@BackgroundTask(description = "Adds two numbers", tags = { "math", "quick" })
	public int add(@TaskParam(description = "The first addend") int a,
			@TaskParam(description = "The second addend") int b) {
		return a + b;
	}

	@BackgroundTask(description = "Greets someone", tags = "quick")
	public String greet(@TaskParam(defaultValue = "World", description = "Who to greet") String name,
			@TaskParam(defaultValue = "false", description = "Shout it") boolean loud) {
		String greeting = "Hello, " + name + "!";
		return loud ? greeting.toUpperCase() : greeting;
	}

	@BackgroundTask(description = "Always fails", retry = @Retry(maxAttempts = 1), tags = "demo")
	public void explode(@TaskParam(defaultValue = "on purpose") String reason) {
		throw new IllegalStateException("Exploded " + reason);
	}

	@BackgroundTask(description = "Fails its first attempt, then succeeds",
			retry = @Retry(maxAttempts = 3, minDelay = "100ms", maxDelay = "100ms"), tags = "demo")
	public String flaky(TaskContext context) {
		if (context.attempt() == 1) {
			throw new IllegalStateException("First attempts fail");
		}
		return "made it on attempt " + context.attempt();
	}

	@BackgroundTask(description = "Builds a report for a day", tags = "reports", cron = "0 0 3 * * *",
			zone = "Europe/Paris", concurrency = 1, timeout = "10m")
	public String report(@TaskParam(defaultValue = "2026-01-01", description = "The day") LocalDate day,
			@TaskParam(defaultValue = "[]", description = "Recipients") List<String> recipients) {
		return "report of " + day + " for " + recipients;
	}

	@BackgroundTask(description = "Syncs one tenant", concurrency = 2, partitionBy = "tenant", rate = "10/1m")
	public void syncTenant(String tenant) {
	}

	@BackgroundTask(description = "Takes a while and reports progress", tags = "demo")
	public void slow(@TaskParam(defaultValue = "20") int steps, TaskContext context) throws InterruptedException {
		context.total(steps);
		for (int i = 1; i <= steps && !context.isCancelled(); i++) {
			Thread.sleep(100);
			context.progress(i).message("step " + i + " of " + steps);
			context.event("step", i);
		}
	}

}
