package dev.backgroundtasks.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * Reads the body of {@code $execute}: at most the configured size, then a JSON object whose only field
 * is {@code params} (an object). An empty body means no params.
 */
class ExecuteRequestReader {

	private static final Set<String> FIELDS = Set.of("params");

	private final JsonMapper mapper;

	private final long maxBytes;

	ExecuteRequestReader(JsonMapper mapper, DataSize maxRequestSize) {
		this.mapper = mapper;
		this.maxBytes = maxRequestSize.toBytes();
	}

	ObjectNode readParams(HttpServletRequest request) throws IOException {
		byte[] body = readBody(request);
		if (isBlank(body)) {
			return this.mapper.createObjectNode();
		}
		JsonNode root;
		try {
			root = this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("Malformed JSON in request body: " + ex.getOriginalMessage());
		}
		if (!root.isObject()) {
			throw new InvalidRequestException("The request body must be a JSON object such as {\"params\": {...}}");
		}
		for (String field : root.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw new InvalidRequestException("Unknown field '" + field + "' in request body; allowed: " + FIELDS);
			}
		}
		JsonNode params = root.get("params");
		if (params == null || params.isNull()) {
			return this.mapper.createObjectNode();
		}
		if (!params.isObject()) {
			throw new InvalidRequestException("'params' must be a JSON object of parameter names to values");
		}
		return (ObjectNode) params;
	}

	private static boolean isBlank(byte[] body) {
		for (byte b : body) {
			if (!Character.isWhitespace(b)) {
				return false;
			}
		}
		return true;
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxBytes) {
			throw tooLarge();
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxBytes + 1));
			if (body.length > this.maxBytes) {
				throw tooLarge();
			}
			return body;
		}
	}

	private InvalidRequestException tooLarge() {
		return new InvalidRequestException(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than the limit of " + this.maxBytes
						+ " bytes (background-tasks.web.max-request-size)");
	}

}
