package dev.backgroundtasks.web.openapi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskParameter;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksOpenApiCustomizer} on documents shaped as springdoc builds them: both
 * versions of OpenAPI, groups without the API, names taken by the application, authorities.
 */
class BackgroundTasksOpenApiCustomizerTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final DefaultTaskRegistry registry = new DefaultTaskRegistry();

	@Test
	void writesTypesForOpenApi30() throws Exception {
		register("resize", new TaskParameter("width", int.class, true, null, "Pixels"),
				new TaskParameter("format", String.class, false, "png", ""));
		OpenAPI openApi = withTheApi(new OpenAPI(SpecVersion.V30));
		customizer(null).customise(openApi);
		JsonNode params = params(mapper.readTree(Json.mapper().writeValueAsString(openApi)), "resize");
		assertThat(params.path("type").asString()).isEqualTo("object");
		assertThat(params.path("properties").path("width").path("type").asString()).isEqualTo("integer");
		assertThat(params.path("properties").path("format").path("type").asString()).isEqualTo("string");
		assertThat(params.path("properties").path("format").path("default").asString()).isEqualTo("png");
		assertThat(params.path("required").valueStream().map(JsonNode::asString)).containsExactly("width");
	}

	@Test
	void writesTypesForOpenApi31() throws Exception {
		register("resize", new TaskParameter("width", int.class, true, null, "Pixels"));
		OpenAPI openApi = withTheApi(new OpenAPI(SpecVersion.V31).openapi("3.1.0"));
		customizer(null).customise(openApi);
		JsonNode params = params(mapper.readTree(Json31.mapper().writeValueAsString(openApi)), "resize");
		assertThat(params.path("type").asString()).isEqualTo("object");
		assertThat(params.path("properties").path("width").path("type").asString()).isEqualTo("integer");
		assertThat(params.path("properties").path("width").path("description").asString()).isEqualTo("Pixels");
	}

	@Test
	void leavesAGroupWithoutTheApiAsItIs() throws Exception {
		register("resize", new TaskParameter("width", int.class, true, null, ""));
		OpenAPI openApi = new OpenAPI().paths(new Paths().addPathItem("/orders", new PathItem().get(operation("orders"))));
		String before = Json.mapper().writeValueAsString(openApi);
		customizer(null).customise(openApi);
		assertThat(Json.mapper().writeValueAsString(openApi)).isEqualTo(before);
	}

	@Test
	void addsNoTaskOperationsWithoutTheApisExecute() {
		register("resize", new TaskParameter("width", int.class, true, null, ""));
		OpenAPI openApi = new OpenAPI()
			.paths(new Paths().addPathItem("/api/v1/tasks", new PathItem().get(operation("tasks"))));
		customizer(null).customise(openApi);
		assertThat(openApi.getPaths()).containsOnlyKeys("/api/v1/tasks");
	}

	@Test
	void keepsOperationIdsUnique() {
		register("resize", new TaskParameter("width", int.class, true, null, ""));
		OpenAPI openApi = withTheApi(new OpenAPI());
		openApi.getPaths().addPathItem("/jobs", new PathItem().post(operation("executeTask")));
		openApi.getPaths().addPathItem("/images/resize", new PathItem().post(operation("execute_resize")));
		customizer(null).customise(openApi);
		assertThat(openApi.getPaths().get("/api/v1/tasks/{name}/$execute").getPost().getOperationId())
			.isEqualTo("executeTask_1");
		assertThat(openApi.getPaths().get("/api/v1/tasks/resize/$execute").getPost().getOperationId())
			.isEqualTo("execute_resize_1");
		assertThat(openApi.getPaths().get("/jobs").getPost().getOperationId()).isEqualTo("executeTask");
	}

	@Test
	void documentsAccessControlOnEveryOperation() {
		register("resize", new TaskParameter("width", int.class, true, null, ""));
		OpenAPI openApi = withTheApi(new OpenAPI());
		customizer(new DocumentedApi.Authorities(List.of("READER"), List.of("OPERATOR"))).customise(openApi);
		Map<String, ApiResponse> list = openApi.getPaths().get("/api/v1/tasks").getGet().getResponses();
		assertThat(list.get("401").getDescription()).contains("[READER, OPERATOR]");
		assertThat(list.get("403").getDescription()).contains("[READER, OPERATOR]");
		Map<String, ApiResponse> execute = openApi.getPaths().get("/api/v1/tasks/resize/$execute").getPost()
			.getResponses();
		assertThat(execute.get("401").getDescription()).contains("[OPERATOR]").doesNotContain("READER");
		assertThat(execute.get("403").getDescription()).contains("[OPERATOR]");
	}

	@Test
	void takesTheBasePathAsSpringMvcMapsIt() {
		register("resize", new TaskParameter("width", int.class, true, null, ""));
		OpenAPI openApi = withTheApi(new OpenAPI());
		new BackgroundTasksOpenApiCustomizer(this.registry, mapper,
				new DocumentedApi("api/v1/", 200, Duration.ofMinutes(1), DataSize.ofKilobytes(64), null))
			.customise(openApi);
		assertThat(openApi.getPaths()).containsKey("/api/v1/tasks/resize/$execute");
		assertThat(openApi.getPaths().get("/api/v1/tasks").getGet().getTags()).containsExactly("Background tasks");
	}

	@Test
	void documentsNoOperationForATaskKeptOffTheRestApi() {
		this.registry.register(new TaskDefinition("internal", "", List.of(), "Tasks#internal()", "internal()",
				List.of(), null, false, new ExecutionPolicy(-1, null, null, List.of(), null, 0, false),
				(arguments) -> null));
		register("resize", new TaskParameter("width", int.class, true, null, ""));
		OpenAPI openApi = withTheApi(new OpenAPI());
		customizer(null).customise(openApi);
		assertThat(openApi.getPaths()).containsKey("/api/v1/tasks/resize/$execute")
			.doesNotContainKey("/api/v1/tasks/internal/$execute");
	}

	private BackgroundTasksOpenApiCustomizer customizer(DocumentedApi.Authorities authorities) {
		return new BackgroundTasksOpenApiCustomizer(this.registry, mapper,
				new DocumentedApi("/api/v1", 200, Duration.ofMinutes(1), DataSize.ofKilobytes(64), authorities));
	}

	private void register(String name, TaskParameter... parameters) {
		this.registry.register(new TaskDefinition(name, "", List.of(), "Tasks#" + name + "()", name + "()",
				List.of(parameters), null, false, ExecutionPolicy.UNDECLARED, (arguments) -> null));
	}

	/** What springdoc finds on the controllers, before the customizer: two of the API's operations. */
	private static OpenAPI withTheApi(OpenAPI openApi) {
		Operation execute = operation("execute");
		execute.addParametersItem(new PathParameter().name("name"));
		return openApi.paths(new Paths().addPathItem("/api/v1/tasks", new PathItem().get(operation("tasks")))
			.addPathItem("/api/v1/tasks/{name}/$execute", new PathItem().post(execute)));
	}

	private static Operation operation(String id) {
		return new Operation().operationId(id)
			.responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("OK")));
	}

	private static JsonNode params(JsonNode doc, String task) {
		return doc.path("paths")
			.path("/api/v1/tasks/" + task + "/$execute")
			.path("post")
			.path("requestBody")
			.path("content")
			.path("application/json")
			.path("schema")
			.path("properties")
			.path("params");
	}

}
