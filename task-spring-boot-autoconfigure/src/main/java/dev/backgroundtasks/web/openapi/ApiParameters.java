package dev.backgroundtasks.web.openapi;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.jspecify.annotations.Nullable;

import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ofType;

/**
 * Describes the parameters springdoc found on the API's handler methods: what each accepts, in the
 * formats and ranges the API checks.
 */
final class ApiParameters {

	private ApiParameters() {
	}

	static void executionId(Operation operation) {
		Parameter id = describe(operation, "id", "The execution's id");
		if (id != null) {
			id.schema(ofType("string", "uuid"));
		}
	}

	static void executionFilters(Operation operation, int maxPageSize) {
		describe(operation, "task", "Only executions of this task");
		Parameter status = describe(operation, "status", "Only executions in this status (any case)");
		if (status != null) {
			status.schema(OpenApiSchemas.enumOf(names(TaskStatus.values())));
		}
		describe(operation, "submittedBy", "Only executions submitted by this principal");
		describe(operation, "tag", "Only executions of tasks that carry every one of these tags (comma-separated)");
		describe(operation, "key", "Only executions holding this deduplication key");
		describe(operation, "node", "Only executions that ran, or run, on this node");
		Parameter trigger = describe(operation, "trigger", "Only executions created this way (any case)");
		if (trigger != null) {
			trigger.schema(OpenApiSchemas.enumOf(names(TaskTrigger.values())));
		}
		for (String bound : List.of("from", "to")) {
			Parameter instant = describe(operation, bound, bound.equals("from")
					? "Only executions created at or after this ISO-8601 instant (encode the `+` of an offset as `%2B`)"
					: "Only executions created before this ISO-8601 instant (encode the `+` of an offset as `%2B`)");
			if (instant != null) {
				instant.schema(ofType("string", "date-time"));
			}
		}
		Parameter batch = describe(operation, "batchId", "Only the members of this batch");
		if (batch != null) {
			batch.schema(ofType("string", "uuid"));
		}
		Parameter before = describe(operation, "before", "The cursor: only executions older than this execution id,"
				+ " as a page's `next` gives it. Cheap at any depth, unlike `page`, which skips every execution before"
				+ " its page; it does not combine with a `page` other than 0");
		if (before != null) {
			before.schema(ofType("string", "uuid"));
		}
		Parameter page = describe(operation, "page", "The page, from 0. A deep page reads every execution before it:"
				+ " page through a large listing with `before` instead");
		if (page != null) {
			page.getSchema().setMinimum(BigDecimal.ZERO);
		}
		Parameter size = describe(operation, "size", "Executions per page");
		if (size != null) {
			size.getSchema().setMinimum(BigDecimal.ONE);
			size.getSchema().setMaximum(BigDecimal.valueOf(maxPageSize));
		}
	}

	private static List<String> names(Enum<?>[] constants) {
		return Arrays.stream(constants).map(Enum::name).toList();
	}

	static @Nullable Parameter describe(Operation operation, String name, String description) {
		if (operation.getParameters() == null) {
			return null;
		}
		for (Parameter parameter : operation.getParameters()) {
			if (name.equals(parameter.getName())) {
				parameter.setDescription(description);
				return parameter;
			}
		}
		return null;
	}

}
