package dev.backgroundtasks.web.openapi;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * What the OpenAPI document says of the REST API's configuration.
 *
 * @param basePath the base path of the API ({@code background-tasks.web.base-path}), as Spring MVC maps it
 * whether or not it was configured with a trailing slash
 * @param maxPageSize the largest page of executions
 * @param maxWait the longest long-poll
 * @param maxRequestSize the largest body of {@code $execute}
 * @param authorities the authorities the starter checks on each endpoint, or {@code null} when it checks
 * none (no Spring Security, or {@code background-tasks.security.enabled=false})
 */
public record DocumentedApi(String basePath, int maxPageSize, Duration maxWait, DataSize maxRequestSize,
		@Nullable Authorities authorities) {

	public DocumentedApi {
		// As Spring MVC combines it with the mappings: one leading slash, no trailing one.
		basePath = basePath.strip().replaceAll("/+$", "");
		if (!basePath.isEmpty() && !basePath.startsWith("/")) {
			basePath = "/" + basePath;
		}
	}

	/**
	 * @param read the authorities that may read
	 * @param operate the authorities that may operate, and read
	 */
	public record Authorities(List<String> read, List<String> operate) {

		public Authorities {
			read = List.copyOf(read);
			operate = List.copyOf(operate);
		}

	}

}
