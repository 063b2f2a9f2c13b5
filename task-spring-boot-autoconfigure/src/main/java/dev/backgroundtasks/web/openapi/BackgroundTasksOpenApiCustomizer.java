package dev.backgroundtasks.web.openapi;

import java.util.ArrayList;
import java.util.List;

import dev.backgroundtasks.registry.DefaultTaskRegistry;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Completes the OpenAPI document springdoc builds from the REST API's controllers: what each operation
 * answers, every documented error as an RFC 9457 problem, the body of {@code $execute}; and adds one
 * operation per task that may be submitted over REST, whose body documents that task's params. Applies
 * to every group of the document that holds the API's operations, and to no other.
 * <p>
 * springdoc builds a document once and caches it: a task registered from code afterwards is in the
 * document of the next start.
 */
public class BackgroundTasksOpenApiCustomizer implements GlobalOpenApiCustomizer {

	private final DefaultTaskRegistry registry;

	private final JsonMapper mapper;

	private final DocumentedApi api;

	/**
	 * @param registry the tasks, with their parameters' Java types
	 * @param mapper the application's JSON mapper, which reads the parameters' default values
	 * @param api what the document says of the API's configuration
	 */
	public BackgroundTasksOpenApiCustomizer(DefaultTaskRegistry registry, JsonMapper mapper, DocumentedApi api) {
		this.registry = registry;
		this.mapper = mapper;
		this.api = api;
	}

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		OpenApiSchemas schemas = new OpenApiSchemas(openApi);
		ApiOperations operations = new ApiOperations(this.api, schemas);
		if (!operations.document(openApi)) {
			return;
		}
		tag(openApi, ApiOperations.TAG, "The tasks and executions of the background tasks starter");
		inReadingOrder(openApi);
		if (openApi.getPaths().containsKey(this.api.basePath() + ApiOperations.EXECUTE)) {
			ParameterSchemas parameters = new ParameterSchemas(this.registry, this.mapper, schemas);
			if (new TaskOperations(this.registry, this.api, operations, parameters, schemas).document(openApi) > 0) {
				tag(openApi, TaskOperations.TAG, "One operation per task that may be submitted over REST, with"
						+ " its params");
			}
		}
		removeUnusedSseEmitter(openApi);
	}

	/**
	 * springdoc lists paths as it meets them; the API's read better tasks first, then executions, each
	 * read before it is changed.
	 */
	private void inReadingOrder(OpenAPI openApi) {
		List<String> api = ApiOperations.PATHS.stream().map((path) -> this.api.basePath() + path).toList();
		Paths paths = new Paths();
		openApi.getPaths().forEach((path, item) -> {
			if (!api.contains(path)) {
				paths.addPathItem(path, item);
			}
		});
		api.stream()
			.filter(openApi.getPaths()::containsKey)
			.forEach((path) -> paths.addPathItem(path, openApi.getPaths().get(path)));
		paths.setExtensions(openApi.getPaths().getExtensions());
		openApi.setPaths(paths);
	}

	private static void tag(OpenAPI openApi, String name, String description) {
		List<Tag> tags = (openApi.getTags() != null) ? new ArrayList<>(openApi.getTags()) : new ArrayList<>();
		if (tags.stream().noneMatch((tag) -> name.equals(tag.getName()))) {
			tags.add(new Tag().name(name).description(description));
			openApi.setTags(tags);
		}
	}

	/**
	 * springdoc documents the event stream's {@code SseEmitter} as if it were the body; the stream's own
	 * description replaces it, and the schema goes unless another operation of the application uses it.
	 */
	private static void removeUnusedSseEmitter(OpenAPI openApi) {
		if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null
				|| !openApi.getComponents().getSchemas().containsKey("SseEmitter")) {
			return;
		}
		String paths;
		try {
			paths = Json.mapper().writeValueAsString(openApi.getPaths());
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			return;
		}
		if (!paths.contains("\"#/components/schemas/SseEmitter\"")) {
			openApi.getComponents().getSchemas().remove("SseEmitter");
		}
	}

}
