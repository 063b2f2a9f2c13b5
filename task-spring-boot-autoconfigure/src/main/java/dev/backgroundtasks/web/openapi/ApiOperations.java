package dev.backgroundtasks.web.openapi;

import java.util.List;
import java.util.function.Consumer;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.execution.ExecutionPage;
import dev.backgroundtasks.web.BatchResponse;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;

import org.springframework.util.unit.DataSize;

import static dev.backgroundtasks.web.openapi.OpenApiSchemas.arrayOf;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ofType;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ref;

/**
 * Documents the operations springdoc found on the REST API's controllers: what each answers and with
 * which status, the problem of every error, the body of {@code $execute}, the event stream, and what
 * each parameter accepts. An operation the document does not hold (read-only mode, a group without the
 * API) stays out.
 */
final class ApiOperations {

	static final String TAG = "Background tasks";

	static final String EXECUTE = "/tasks/{name}/$execute";

	/** The API's paths below its base path, in the order the document lists them. */
	static final List<String> PATHS = List.of("/tasks", "/tasks/{name}", EXECUTE, "/tasks/{name}/$enable",
			"/tasks/{name}/$disable", "/executions", "/executions/{id}", "/executions/{id}/attempts",
			"/executions/{id}/$cancel", "/executions/{id}/$retry", "/executions/stream", "/batches", "/batches/{id}");

	private final DocumentedApi api;

	private final OpenApiSchemas schemas;

	ApiOperations(DocumentedApi api, OpenApiSchemas schemas) {
		this.api = api;
		this.schemas = schemas;
	}

	/**
	 * @param openApi the document
	 * @return whether the document holds any operation of the API
	 */
	boolean document(OpenAPI openApi) {
		if (PATHS.stream().noneMatch((path) -> openApi.getPaths().containsKey(this.api.basePath() + path))) {
			return false;
		}
		Schema<Object> task = this.schemas.of(TaskInfo.class);
		Schema<Object> execution = this.schemas.of(Execution.class);
		boolean found = false;
		found |= document(openApi, HttpMethod.GET, "/tasks", "listTasks", "List the tasks", (op) -> {
			ApiParameters.describe(op, "tags", "Only tasks that carry every one of these tags (comma-separated)");
			op.setResponses(reading().json(200, "The tasks, sorted by name", arrayOf(task)).build());
		});
		found |= document(openApi, HttpMethod.GET, "/tasks/{name}", "getTask", "Get a task", (op) -> {
			ApiParameters.describe(op, "name", "The task's name");
			op.setResponses(reading().json(200, "The task", task).problem(404, "Unknown task").build());
		});
		found |= document(openApi, HttpMethod.POST, EXECUTE, "executeTask", "Execute a task", (op) -> {
			op.description("Submits an execution of the task. Each task also has an operation of its own,"
					+ " which documents its params.");
			ApiParameters.describe(op, "name", "The task's name");
			this.schemas.addIfAbsent(OpenApiSchemas.EXECUTE_REQUEST, ApiSchemas.executeRequest(ofType("object")
				.additionalProperties(true)
				.description("The task's params by name; see the task's own operation for them")));
			op.setRequestBody(executeBody(ref(OpenApiSchemas.EXECUTE_REQUEST)));
			op.setResponses(executeResponses(operating(), execution, true).build());
		});
		found |= document(openApi, HttpMethod.POST, "/tasks/{name}/$enable", "enableTask", "Enable a task", (op) -> {
			op.description("Stored in the database, for every node: effective on each by its next scheduler round.");
			ApiParameters.describe(op, "name", "The task's name");
			op.setResponses(operating().json(200, "The task", task)
				.problem(404, "Unknown task")
				.problem(409, "The task is switched off by configuration"
						+ " (`background-tasks.tasks.<name>.enabled=false`)")
				.build());
		});
		found |= document(openApi, HttpMethod.POST, "/tasks/{name}/$disable", "disableTask", "Disable a task", (op) -> {
			op.description("Stored in the database, for every node: its schedules stop firing and submissions are"
					+ " refused (409) until it is enabled again.");
			ApiParameters.describe(op, "name", "The task's name");
			op.setResponses(operating().json(200, "The task", task).problem(404, "Unknown task").build());
		});
		found |= document(openApi, HttpMethod.GET, "/executions", "listExecutions", "List executions", (op) -> {
			op.description("Executions matching every filter given, newest first. A blank value does not filter.");
			ApiParameters.executionFilters(op, this.api.maxPageSize());
			op.setResponses(reading().json(200, "A page of executions", this.schemas.of(ExecutionPage.class))
				.problem(400, "A filter's value is not one it accepts (the detail names it)")
				.build());
		});
		found |= document(openApi, HttpMethod.GET, "/executions/{id}", "getExecution", "Get an execution", (op) -> {
			op.description("With `wait`, a long-poll: answers as soon as the execution is finished, or when the"
					+ " time is up, with the execution as it is then.");
			ApiParameters.executionId(op);
			Parameter wait = ApiParameters.describe(op, "wait", "How long to wait for the execution to finish, such"
					+ " as `PT10S` or `10s`, at most " + this.api.maxWait() + " (`background-tasks.web.max-wait`)");
			if (wait != null) {
				wait.required(false).schema(ofType("string", "duration"));
			}
			op.setResponses(reading().json(200, "The execution", execution)
				.problem(400, "The id is not a UUID, or `wait` is not a duration up to the maximum")
				.problem(404, "Unknown execution")
				.retryAfter(503, "This node holds as many long-polls as it may"
						+ " (`background-tasks.web.max-long-polls`)")
				.build());
		});
		found |= document(openApi, HttpMethod.GET, "/executions/{id}/attempts", "listAttempts",
				"List the attempts of an execution", (op) -> {
					ApiParameters.executionId(op);
					op.setResponses(reading()
						.json(200, "Its attempts, oldest first; none before the first starts",
								arrayOf(this.schemas.of(ExecutionAttempt.class)))
						.problem(400, "The id is not a UUID")
						.problem(404, "Unknown execution")
						.build());
				});
		found |= document(openApi, HttpMethod.POST, "/executions/{id}/$cancel", "cancelExecution",
				"Cancel an execution", (op) -> {
					op.description("A READY execution is cancelled at once; a RUNNING one is asked to stop"
							+ " (`cancelRequested: true`) and ends CANCELLED within about a second.");
					ApiParameters.executionId(op);
					op.setResponses(operating().json(202, "The execution", execution)
						.problem(400, "The id is not a UUID")
						.problem(404, "Unknown execution")
						.problem(409, "The execution has already finished")
						.build());
				});
		found |= document(openApi, HttpMethod.POST, "/executions/{id}/$retry", "retryExecution",
				"Retry an execution", (op) -> {
					op.description("Submits a new execution with the same params (trigger RETRY, `retryOf` the"
							+ " old id).");
					ApiParameters.executionId(op);
					op.setResponses(operating().json(202, "The new execution", execution)
						.withLocation(202)
						.problem(400, "The id is not a UUID")
						.problem(403, "The task is not submittable over REST (`remote = false`)")
						.problem(404, "Unknown execution")
						.problem(409, "The execution is neither FAILED nor CANCELLED")
						.retryAfter(429, "The queue is full")
						.build());
				});
		found |= document(openApi, HttpMethod.GET, "/executions/stream", "streamExecutionEvents",
				"Stream execution events", (op) -> {
					op.description("Server-Sent Events of every node: `status`, `progress` and `custom` events,"
							+ " each an execution as JSON; with `summary=true`, instead, at most one `changes` event"
							+ " a second. Resumes after `Last-Event-ID`.");
					ApiParameters.describe(op, "task", "Only the events of this task");
					ApiParameters.describe(op, "execution", "Only the events of this execution (a UUID)");
					ApiParameters.describe(op, "summary", "At most one `changes` event a second, naming the tasks and"
							+ " executions that changed, instead of every event");
					ApiParameters.describe(op, "Last-Event-ID", "Resume after this event");
					ApiParameters.describe(op, "lastEventId", "Resume after this event, for clients that cannot set headers");
					op.setResponses(reading()
						.content(200, "The event stream", "text/event-stream",
								ofType("string").description("`event:`, `id:` and `data:` lines"))
						.problem(400, "The execution id is not a UUID")
						.problem(404, "Unknown task")
						.retryAfter(503, "This node serves as many stream clients as it may"
								+ " (`background-tasks.web.max-stream-subscribers`)")
						.build());
				});
		found |= documentBatches(openApi);
		if (found) {
			this.schemas.durations("TaskInfo", "timeout");
			this.schemas.durations("RetryInfo", "minDelay", "maxDelay");
			this.schemas.addIfAbsent(OpenApiSchemas.PROBLEM, ApiSchemas.problem(this.api.basePath()));
		}
		return found;
	}

	private boolean documentBatches(OpenAPI openApi) {
		Schema<Object> batch = this.schemas.of(BatchResponse.class);
		boolean found = document(openApi, HttpMethod.POST, "/batches", "submitBatch", "Submit a batch", (op) -> {
			op.description("Stores every execution in one transaction, all or nothing: each member and the callback are"
					+ " validated first, and one that is not valid stores nothing (400, naming it by `index` or as"
					+ " `onComplete`). When every member has ended, the `onComplete` task is submitted exactly once,"
					+ " with its own params plus `batchId` and `counts` (`SUCCESSFUL`, `FAILED`, `CANCELLED`) where its"
					+ " task declares them. At most `background-tasks.queue.max-batch-size` members.");
			this.schemas.addIfAbsent(OpenApiSchemas.BATCH_REQUEST, ApiSchemas.batchRequest());
			op.setRequestBody(executeBody(ref(OpenApiSchemas.BATCH_REQUEST)).required(true));
			op.setResponses(operating().json(202, "The batch, its members READY", batch)
				.withLocation(202)
				.problem(400, "The body is malformed, empty or too large, or a member or the callback is invalid:"
						+ " unknown or disabled task, invalid params (the problem names the member by `index`, and each"
						+ " param in `errors`)")
				.problem(403, "A member's or the callback's task is not submittable over REST (`remote = false`)")
				.problem(413, "The body is larger than " + size(this.api.maxRequestSize())
						+ " (`background-tasks.web.max-request-size`)")
				.problem(415, "A Content-Type other than `application/json`, or a body without one")
				.retryAfter(429, "The queue is full")
				.build());
		});
		found |= document(openApi, HttpMethod.GET, "/batches/{id}", "getBatch", "Get a batch", (op) -> {
			op.description("Its progress: members per state; once `done`, the counts of its three terminal states as"
					+ " they were when its last member ended.");
			Parameter id = ApiParameters.describe(op, "id", "The batch's id");
			if (id != null) {
				id.schema(ofType("string", "uuid"));
			}
			op.setResponses(reading().json(200, "The batch", batch)
				.problem(400, "The id is not a UUID")
				.problem(404, "Unknown batch")
				.build());
		});
		return found;
	}

	/**
	 * @param responses where to add them
	 * @param execution the schema of an execution
	 * @param anyTask whether the task is named in the path (it may be unknown, or not submittable)
	 * @return the responses of {@code $execute}
	 */
	ApiResponsesBuilder executeResponses(ApiResponsesBuilder responses, Schema<Object> execution, boolean anyTask) {
		responses.json(202, "The new execution", execution)
			.withLocation(202)
			.json(200, "The execution of this task that holds the same `key` and is READY or RUNNING", execution)
			.problem(400, "Malformed JSON, an unknown field, a bad option, or params that are missing, unknown or"
					+ " of the wrong type (each named in `errors`)");
		if (anyTask) {
			responses.problem(403, "The task is not submittable over REST (`remote = false`)")
				.problem(404, "Unknown task");
		}
		return responses.problem(409, "The task is disabled")
			.problem(413, "The body is larger than " + size(this.api.maxRequestSize())
					+ " (`background-tasks.web.max-request-size`)")
			.problem(415, "A Content-Type other than `application/json`, or a body without one")
			.retryAfter(429, "The queue is full");
	}

	private static String size(DataSize size) {
		long bytes = size.toBytes();
		if (bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + " MB";
		}
		return (bytes % 1024 == 0) ? (bytes / 1024) + " KB" : bytes + " bytes";
	}

	static RequestBody executeBody(Schema<?> schema) {
		return new RequestBody().required(false)
			.content(new Content().addMediaType("application/json", new MediaType().schema(schema)));
	}

	ApiResponsesBuilder reading() {
		return new ApiResponsesBuilder(this.api.authorities(), false);
	}

	ApiResponsesBuilder operating() {
		return new ApiResponsesBuilder(this.api.authorities(), true);
	}

	private boolean document(OpenAPI openApi, HttpMethod method, String path, String operationId, String summary,
			Consumer<Operation> details) {
		PathItem item = (openApi.getPaths() != null) ? openApi.getPaths().get(this.api.basePath() + path) : null;
		Operation operation = (item != null) ? item.readOperationsMap().get(method) : null;
		if (operation == null) {
			return false;
		}
		operation.setTags(List.of(TAG));
		operation.setOperationId(OperationIds.unique(openApi, operationId, operation));
		operation.setSummary(summary);
		details.accept(operation);
		return true;
	}

}
