package dev.backgroundtasks.worker;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.ExecutionWaiters;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskParameterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one claimed execution in the calling thread: binds its params, invokes the task and records the
 * result or the error, fenced on the claim.
 */
public class ExecutionRunner {

	private static final Log logger = LogFactory.getLog(ExecutionRunner.class);

	private final DefaultTaskRegistry registry;

	private final TaskParameterBinder binder;

	private final ExecutionStore store;

	private final ExecutionWaiters waiters;

	private final JsonMapper mapper;

	public ExecutionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionWaiters waiters, JsonMapper mapper) {
		this.registry = registry;
		this.binder = binder;
		this.store = store;
		this.waiters = waiters;
		this.mapper = mapper;
	}

	/**
	 * Runs a claimed execution and records its outcome.
	 * @param claim the claim
	 */
	public void run(ClaimedExecution claim) {
		boolean recorded;
		try {
			String result = invoke(claim);
			recorded = this.store.complete(claim, result);
		}
		catch (Throwable failure) {
			if (failure instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.warn("Execution " + claim.id() + " of task '" + claim.task() + "' failed: " + failure);
			logger.debug("Stack trace of execution " + claim.id(), failure);
			recorded = this.store.fail(claim, errorOf(failure));
		}
		if (!recorded) {
			logger.warn("Execution " + claim.id() + " of task '" + claim.task() + "' (attempt " + claim.attempt()
					+ ") is no longer held by node " + claim.node() + "; its outcome was discarded");
		}
		this.waiters.finished(claim.id());
	}

	private @Nullable String invoke(ClaimedExecution claim) throws Exception {
		TaskDefinition definition = this.registry.definition(claim.task())
			.orElseThrow(() -> new UnknownTaskException(claim.task()));
		Object[] arguments = this.binder.bind(definition, (ObjectNode) this.mapper.readTree(claim.params()));
		Object result = definition.invoker().invoke(arguments);
		return (result != null) ? this.mapper.writeValueAsString(result) : null;
	}

	static ExecutionError errorOf(Throwable failure) {
		StringWriter stackTrace = new StringWriter();
		failure.printStackTrace(new PrintWriter(stackTrace));
		return new ExecutionError(failure.getClass().getName(), failure.getMessage(), stackTrace.toString());
	}

}
