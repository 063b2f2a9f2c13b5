package dev.backgroundtasks.web.openapi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.command.Submission;
import io.swagger.v3.oas.models.media.Schema;

import static dev.backgroundtasks.web.openapi.OpenApiSchemas.arrayOf;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.object;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ofType;

/**
 * The schemas the REST API shares between its operations: the body of {@code $execute} and the RFC 9457
 * problem of every error.
 */
final class ApiSchemas {

	private ApiSchemas() {
	}

	/**
	 * @param params the schema of {@code params}
	 * @return the body of {@code $execute}: {@code params} and the options, each optional
	 */
	static Schema<Object> executeRequest(Schema<Object> params) {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("params", params);
		properties.put("runAt", ofType("string", "date-time").description(
				"When the execution becomes due, an ISO-8601 instant in the years 1970 to 9999; not with `delay`."
						+ " Default: now"));
		properties.put("delay", ofType("string", "duration").description("How long after now it becomes due, such"
				+ " as `PT30S` or `30s`, at most " + Submission.MAX_DELAY.toDays() + " days; not with `runAt`"));
		Schema<Object> priority = ofType("integer", "int32").description("Higher runs first");
		priority.setDefault(0);
		properties.put("priority", priority);
		properties.put("key", ofType("string").minLength(1)
			.maxLength(Submission.MAX_KEY_LENGTH)
			.description("A deduplication key: while an execution of this task holding the key is READY or"
					+ " RUNNING, the request answers it (200) instead of submitting another"));
		properties.put("after", arrayOf(ofType("string", "uuid")).maxItems(Submission.MAX_AFTER)
			.description("Ids of executions to wait for: the execution is stored WAITING and becomes READY once"
					+ " every one of them is SUCCESSFUL, or ends CANCELLED (error type"
					+ " `dev.backgroundtasks.DependencyFailedException`, naming it) once one failed or was cancelled."
					+ " An unknown id is refused (400); not with `key`"));
		Schema<Object> request = object(properties);
		request.setAdditionalProperties(false);
		return request.description("Every field is optional; an empty body (without a Content-Type) runs the task"
				+ " with its default params, now. An unknown field is refused (400).");
	}

	/**
	 * @return the body of {@code POST {base}/batches}
	 */
	static Schema<Object> batchRequest() {
		Map<String, Schema> member = new LinkedHashMap<>();
		member.put("task", ofType("string").description("The task's name"));
		member.put("params", ofType("object").additionalProperties(true).description("The task's params by name"));
		Schema<Object> execution = object(member);
		execution.setAdditionalProperties(false);
		execution.setRequired(List.of("task"));
		Map<String, Schema> properties = new LinkedHashMap<>();
		Schema<Object> executions = new Schema<>();
		executions.setType("array");
		executions.setItems(execution);
		executions.setMinItems(1);
		properties.put("executions", executions.description("The members, each due now"));
		Map<String, Schema> callback = new LinkedHashMap<>(member);
		callback.put("params", ofType("object").additionalProperties(true).description("Its own params by name;"
				+ " `batchId` and `counts` are added by the batch where the task declares them"));
		Schema<Object> onComplete = object(callback);
		onComplete.setAdditionalProperties(false);
		onComplete.setRequired(List.of("task"));
		properties.put("onComplete", onComplete.description("The task submitted once, when every member has ended;"
				+ " optional"));
		Schema<Object> request = object(properties);
		request.setAdditionalProperties(false);
		request.setRequired(List.of("executions"));
		return request;
	}

	/**
	 * @param basePath the API's base path, for the example
	 * @return the RFC 9457 problem every error of the API answers with, and the members some of them add
	 */
	static Schema<Object> problem(String basePath) {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("type", ofType("string", "uri-reference").description("The problem type; absent means `about:blank`")
			.example("about:blank"));
		properties.put("title", ofType("string").description("A short summary").example("Unknown task"));
		properties.put("status", ofType("integer", "int32").description("The HTTP status").example(404));
		properties.put("detail", ofType("string").description("What went wrong, and what to do about it")
			.example("No task named 'send-report' is registered"));
		properties.put("instance", ofType("string", "uri-reference").description("The request's path")
			.example(basePath + "/tasks/send-report/$execute"));
		properties.put("task", ofType("string").description("The task concerned (unknown task, task disabled,"
				+ " invalid task parameters, not submittable over REST)").example("send-report"));
		properties.put("executionId", ofType("string", "uuid").description("The execution concerned"));
		properties.put("executionStatus", OpenApiSchemas.enumOf(Arrays.stream(TaskStatus.values()).map(Enum::name).toList())
			.description("The execution's status, on a conflict"));
		Map<String, Schema> error = new LinkedHashMap<>();
		error.put("parameter", ofType("string"));
		error.put("problem", ofType("string"));
		properties.put("errors", arrayOf(object(error))
			.description("Each parameter that is missing, unknown or of the wrong type, with its problem"));
		properties.put("capacity", ofType("integer", "int32").description("The queue's capacity, when it is full"));
		properties.put("after", arrayOf(ofType("string", "uuid"))
			.description("The ids in `after` that name no execution (400)"));
		properties.put("limit", ofType("string").description("The property that sets the limit reached"));
		properties.put("max", ofType("integer", "int32").description("The limit reached"));
		properties.put("requiredAuthorities", arrayOf(ofType("string"))
			.description("The authorities that would be allowed (401, 403)"));
		Schema<Object> problem = object(properties).description("An RFC 9457 problem (`application/problem+json`)");
		problem.setRequired(List.of("title", "status"));
		return problem;
	}

}
