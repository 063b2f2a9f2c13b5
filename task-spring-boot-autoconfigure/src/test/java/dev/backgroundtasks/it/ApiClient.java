package dev.backgroundtasks.it;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * A client of the REST API of a test server that hands back every response, errors included, as JSON.
 */
final class ApiClient {

	private final RestClient http;

	ApiClient(int port) {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + port + "/api/v1")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	ResponseEntity<JsonNode> get(String path, Object... variables) {
		return this.http.get().uri(path, variables).retrieve().toEntity(JsonNode.class);
	}

	ResponseEntity<JsonNode> post(String path, @Nullable String body) {
		RestClient.RequestBodySpec request = this.http.post().uri(path).contentType(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.body(body);
		}
		return request.retrieve().toEntity(JsonNode.class);
	}

}
