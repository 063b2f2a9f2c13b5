package dev.backgroundtasks.web.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ScheduleInfo;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;

/**
 * One operation per task that may be submitted over REST: {@code POST {base}/tasks/<name>/$execute},
 * whose body documents the task's own params, so that Swagger UI offers each task ready to run.
 */
final class TaskOperations {

	static final String TAG = "Background tasks: run a task";

	private final DefaultTaskRegistry registry;

	private final DocumentedApi api;

	private final ApiOperations operations;

	private final ParameterSchemas parameters;

	private final OpenApiSchemas schemas;

	TaskOperations(DefaultTaskRegistry registry, DocumentedApi api, ApiOperations operations,
			ParameterSchemas parameters, OpenApiSchemas schemas) {
		this.registry = registry;
		this.api = api;
		this.operations = operations;
		this.parameters = parameters;
		this.schemas = schemas;
	}

	/**
	 * @param openApi the document, which holds the API's {@code $execute}
	 * @return how many operations were added
	 */
	int document(OpenAPI openApi) {
		int added = 0;
		for (TaskInfo task : this.registry.tasks()) {
			String path = this.api.basePath() + "/tasks/" + task.name() + "/$execute";
			if (!task.remote() || openApi.getPaths().containsKey(path)) {
				continue;
			}
			openApi.getPaths().addPathItem(path, new PathItem().post(operation(openApi, task)));
			added++;
		}
		return added;
	}

	private Operation operation(OpenAPI openApi, TaskInfo task) {
		ParameterSchemas.Params params = this.parameters.params(task);
		Schema<Object> body = ApiSchemas.executeRequest(params.schema());
		if (params.required()) {
			body.setRequired(List.of("params"));
		}
		RequestBody requestBody = ApiOperations.executeBody(body).required(params.required());
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("params", params.example());
		requestBody.getContent().get("application/json").setExample(example);
		Operation operation = new Operation().tags(List.of(TAG))
			.summary(task.description().isEmpty() ? "Execute " + task.name() : task.description())
			.description(description(task))
			.requestBody(requestBody)
			.responses(this.operations
				.executeResponses(this.operations.operating(), this.schemas.of(Execution.class), false)
				.build());
		return operation.operationId(OperationIds.unique(openApi, "execute_" + task.name(), operation));
	}

	private static String description(TaskInfo task) {
		StringBuilder description = new StringBuilder("Submits an execution of `").append(task.name()).append('`');
		if (!task.acceptsAnyParams()) {
			description.append(", that is `").append(task.signature()).append('`');
		}
		description.append('.');
		if (!task.tags().isEmpty()) {
			description.append("\n\nTags: ").append(String.join(", ", task.tags())).append('.');
		}
		if (!task.schedules().isEmpty()) {
			description.append("\n\nAlso runs on a schedule: ")
				.append(String.join(", ", task.schedules().stream().map(ScheduleInfo::expression).toList()))
				.append('.');
		}
		return description.append("\n\nAnswers 409 while the task is disabled.").toString();
	}

}
