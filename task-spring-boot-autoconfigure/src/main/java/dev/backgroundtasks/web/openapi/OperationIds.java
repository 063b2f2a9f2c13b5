package dev.backgroundtasks.web.openapi;

import java.util.HashSet;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;

/**
 * Operation ids that no other operation of the document holds: client generators turn them into method
 * names, and Swagger UI into links.
 */
final class OperationIds {

	private OperationIds() {
	}

	/**
	 * @param openApi the document
	 * @param wanted the id wanted
	 * @param operation the operation to name, whose own id does not count
	 * @return {@code wanted}, or it with the first free suffix {@code _1}, {@code _2}…
	 */
	static String unique(OpenAPI openApi, String wanted, Operation operation) {
		Set<String> taken = new HashSet<>();
		if (openApi.getPaths() != null) {
			for (PathItem item : openApi.getPaths().values()) {
				for (Operation other : item.readOperations()) {
					if (other != operation && other.getOperationId() != null) {
						taken.add(other.getOperationId());
					}
				}
			}
		}
		String id = wanted;
		for (int i = 1; taken.contains(id); i++) {
			id = wanted + "_" + i;
		}
		return id;
	}

}
