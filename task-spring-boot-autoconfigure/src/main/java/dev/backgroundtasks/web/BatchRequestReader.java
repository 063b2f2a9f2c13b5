package dev.backgroundtasks.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.BatchSubmission;
import dev.backgroundtasks.command.BatchSubmission.Member;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the body of {@code POST {base}/batches}:
 * {@code {"executions": [{"task": ..., "params": {...}}, ...], "onComplete": {"task": ..., "params": {...}}}},
 * with {@code params} and {@code onComplete} optional, within the same size limit and media type rules as
 * {@code $execute}. A malformed body is a 400 naming the member by index.
 */
final class BatchRequestReader {

	private static final Set<String> FIELDS = Set.of("executions", "onComplete");

	private static final Set<String> MEMBER_FIELDS = Set.of("task", "params");

	private static final String EXAMPLE = "{\"executions\": [{\"task\": \"...\", \"params\": {...}}],"
			+ " \"onComplete\": {\"task\": \"...\", \"params\": {...}}}";

	private final ExecuteRequestReader reader;

	private final JsonMapper mapper;

	BatchRequestReader(ExecuteRequestReader reader, JsonMapper mapper) {
		this.reader = reader;
		this.mapper = mapper;
	}

	BatchSubmission read(HttpServletRequest request) throws IOException {
		JsonNode root = this.reader.readObject(request, EXAMPLE);
		if (root == null) {
			throw new InvalidRequestException("The request body must be a JSON object such as " + EXAMPLE);
		}
		for (String field : root.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw new InvalidRequestException("Unknown field '" + field + "' in request body; allowed: "
						+ List.of("executions", "onComplete"));
			}
		}
		JsonNode executions = root.get("executions");
		if (executions == null || !executions.isArray()) {
			throw new InvalidRequestException("'executions' must be an array of {\"task\": ..., \"params\": {...}}");
		}
		List<Member> members = new ArrayList<>(executions.size());
		for (int i = 0; i < executions.size(); i++) {
			members.add(member(executions.get(i), "executions[" + i + "]"));
		}
		JsonNode onComplete = root.get("onComplete");
		Member callback = (onComplete == null || onComplete.isNull()) ? null : member(onComplete, "onComplete");
		return new BatchSubmission(members, callback, TaskTrigger.API);
	}

	private Member member(@Nullable JsonNode node, String name) {
		if (node == null || !node.isObject()) {
			throw new InvalidRequestException("'" + name + "' must be an object such as {\"task\": \"...\", \"params\":"
					+ " {...}}, got " + node);
		}
		for (String field : node.propertyNames()) {
			if (!MEMBER_FIELDS.contains(field)) {
				throw new InvalidRequestException("Unknown field '" + field + "' in '" + name + "'; allowed: "
						+ List.of("task", "params"));
			}
		}
		JsonNode task = node.get("task");
		if (task == null || !task.isString() || task.asString().isBlank()) {
			throw new InvalidRequestException("'" + name + ".task' must be the name of a task, got " + task);
		}
		JsonNode params = node.get("params");
		if (params != null && !params.isNull() && !params.isObject()) {
			throw new InvalidRequestException("'" + name + ".params' must be a JSON object of parameter names to values,"
					+ " got " + params);
		}
		return new Member(task.asString(),
				(params != null && params.isObject()) ? (ObjectNode) params : this.mapper.createObjectNode());
	}

}
