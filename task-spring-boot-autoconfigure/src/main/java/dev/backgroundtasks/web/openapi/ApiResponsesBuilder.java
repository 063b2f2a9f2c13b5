package dev.backgroundtasks.web.openapi;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.backgroundtasks.web.openapi.DocumentedApi.Authorities;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.jspecify.annotations.Nullable;

import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ofType;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ref;

/**
 * The responses of one operation, in status order: its answers as JSON, its errors as RFC 9457 problems,
 * and, where the starter checks authorities, the {@code 401} and {@code 403} of access control.
 */
final class ApiResponsesBuilder {

	private static final String JSON = "application/json";

	private static final String PROBLEM_JSON = "application/problem+json";

	private final ApiResponses responses = new ApiResponses();

	private final @Nullable Authorities authorities;

	private final boolean operate;

	/**
	 * @param authorities the authorities the starter checks, or {@code null}
	 * @param operate whether the operation needs an operate authority (else a read one)
	 */
	ApiResponsesBuilder(@Nullable Authorities authorities, boolean operate) {
		this.authorities = authorities;
		this.operate = operate;
	}

	ApiResponsesBuilder json(int status, String description, Schema<?> schema) {
		return add(status, new ApiResponse().description(description)
			.content(new Content().addMediaType(JSON, new MediaType().schema(schema))));
	}

	ApiResponsesBuilder content(int status, String description, String mediaType, Schema<?> schema) {
		return add(status, new ApiResponse().description(description)
			.content(new Content().addMediaType(mediaType, new MediaType().schema(schema))));
	}

	ApiResponsesBuilder withLocation(int status) {
		this.responses.get(String.valueOf(status))
			.addHeaderObject("Location", new Header().description("The URL of the execution")
				.schema(ofType("string", "uri")));
		return this;
	}

	ApiResponsesBuilder problem(int status, String description) {
		String text = description;
		if (status == 403 && this.authorities != null) {
			text = description + "; or " + forbidden();
		}
		return add(status, problemResponse(text));
	}

	private static ApiResponse problemResponse(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(ref(OpenApiSchemas.PROBLEM))));
	}

	ApiResponsesBuilder retryAfter(int status, String description) {
		problem(status, description);
		this.responses.get(String.valueOf(status))
			.addHeaderObject("Retry-After", new Header().description("Seconds to wait before trying again")
				.schema(ofType("integer", "int32")));
		return this;
	}

	ApiResponses build() {
		if (this.authorities != null) {
			add(401, problemResponse("Not authenticated: " + (this.operate ? "operating" : "reading")
					+ " needs an authenticated user holding one of " + needed()));
			if (!this.responses.containsKey("403")) {
				add(403, problemResponse(capitalized(forbidden())));
			}
		}
		ApiResponses sorted = new ApiResponses();
		this.responses.keySet()
			.stream()
			.sorted()
			.forEach((status) -> sorted.addApiResponse(status, this.responses.get(status)));
		return sorted;
	}

	private String forbidden() {
		return "the user holds none of " + needed() + " (background-tasks.security."
				+ (this.operate ? "operate-authorities" : "read-authorities and operate-authorities") + ")";
	}

	private List<String> needed() {
		if (this.authorities == null) {
			return List.of();
		}
		Set<String> needed = new LinkedHashSet<>();
		if (!this.operate) {
			needed.addAll(this.authorities.read());
		}
		needed.addAll(this.authorities.operate());
		return List.copyOf(needed);
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private ApiResponsesBuilder add(int status, ApiResponse response) {
		this.responses.addApiResponse(String.valueOf(status), response);
		return this;
	}

}
