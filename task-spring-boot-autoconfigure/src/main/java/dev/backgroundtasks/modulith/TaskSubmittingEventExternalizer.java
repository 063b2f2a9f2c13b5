package dev.backgroundtasks.modulith;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.UnknownTaskException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.core.ConditionalEventListener;

/**
 * Delivers the events Spring Modulith externalizes ({@code @Externalized("task-name")}, or the routing
 * of the application's {@link EventExternalizationConfiguration}) as submissions of a background task:
 * the routing target names the task, the event's JSON properties (after the configuration's mapping)
 * become its params, bound by name as for a REST {@code $execute}.
 * <p>
 * It is an event listener of Modulith's own kind, as Modulith's externalizers are: the publication is
 * recorded with the event, and Modulith marks it completed only once this listener returns, that is
 * once the execution is stored. A target that names no task, or params that do not fit the task, fail
 * the delivery with a message naming the event: the publication stays incomplete, visible, and is
 * resubmitted. Delivery is at least once: a publication resubmitted after the execution was stored (the
 * node died in between) submits the task again.
 */
public class TaskSubmittingEventExternalizer implements ConditionalEventListener {

	/** The listener id Modulith records with each publication to this externalizer. */
	public static final String LISTENER_ID = "background-tasks-externalizer";

	private static final Log logger = LogFactory.getLog(TaskSubmittingEventExternalizer.class);

	private final EventExternalizationConfiguration configuration;

	private final TaskClient tasks;

	private final JsonMapper mapper;

	/**
	 * @param configuration which events are externalized, where to and in which shape
	 * @param tasks submits the executions
	 * @param mapper turns a mapped event into params
	 */
	public TaskSubmittingEventExternalizer(EventExternalizationConfiguration configuration, TaskClient tasks,
			JsonMapper mapper) {
		this.configuration = configuration;
		this.tasks = tasks;
		this.mapper = mapper;
	}

	@Override
	public boolean supports(Object event) {
		return this.configuration.supports(event);
	}

	/**
	 * Submits the task the event is routed to, after the publishing transaction committed.
	 * @param event an event published in a transaction
	 * @throws ExternalizationException when the target names no task or the params do not fit it
	 */
	// In a transaction of its own (the default of @ApplicationModuleListener): the one that stores the execution.
	@ApplicationModuleListener(id = LISTENER_ID)
	public void externalize(Object event) {
		if (!this.configuration.supports(event)) {
			return;
		}
		RoutingTarget target = this.configuration.determineTarget(event);
		String task = target.getTarget();
		try {
			TaskHandle handle = this.tasks.submit(task, params(event, this.configuration.map(event), task));
			if (logger.isDebugEnabled()) {
				logger.debug("Externalized " + event.getClass().getName() + " as execution " + handle.id() + " of "
						+ task);
			}
		}
		catch (UnknownTaskException ex) {
			throw fail(new ExternalizationException("Event " + event.getClass().getName() + " is externalized to '"
					+ task + "', which names no background task: register a task of that name or change the event's"
					+ " routing; the publication stays incomplete", ex));
		}
		catch (InvalidTaskParametersException ex) {
			throw fail(new ExternalizationException("Event " + event.getClass().getName() + " does not fit the params of"
					+ " task '" + task + "': " + ex.getMessage() + "; the publication stays incomplete", ex));
		}
	}

	private Map<String, ?> params(Object event, Object payload, String task) {
		JsonNode json = this.mapper.valueToTree(payload);
		if (!json.isObject()) {
			throw fail(new ExternalizationException("Event " + event.getClass().getName() + " is externalized to task '"
					+ task + "' as JSON " + json.getNodeType().name().toLowerCase(Locale.ROOT)
					+ ", not an object whose properties could be the task's params: map it to an object in the"
					+ " EventExternalizationConfiguration; the publication stays incomplete", null));
		}
		Map<String, Object> params = new LinkedHashMap<>();
		json.properties().forEach((property) -> params.put(property.getKey(), property.getValue()));
		return params;
	}

	// Modulith logs a failed listener at INFO with the message only; an operator should see this one.
	private static ExternalizationException fail(ExternalizationException ex) {
		logger.warn(ex.getMessage());
		return ex;
	}

	/**
	 * Thrown when an externalized event cannot become an execution; its publication stays incomplete.
	 */
	public static class ExternalizationException extends RuntimeException {

		ExternalizationException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
