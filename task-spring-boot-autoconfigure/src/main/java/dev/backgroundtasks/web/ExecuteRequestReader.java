package dev.backgroundtasks.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.Submission;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

/**
 * Reads the body of {@code $execute}: at most the configured size, then a JSON object with the optional
 * fields {@code params} (an object), {@code runAt} (an ISO-8601 instant), {@code delay} (a duration such
 * as {@code PT30S} or {@code 30s}), {@code priority} (an integer), {@code key} (a string) and {@code after}
 * (an array of execution ids to wait for). An empty
 * body means no params and no options.
 * <p>
 * Only {@code application/json}, or no content type and no body, is accepted (415 otherwise, even for an
 * empty body): an HTML form can send only form or text bodies, so a cross-site form never submits a task,
 * even where the application turns CSRF protection off for its API.
 */
class ExecuteRequestReader {

	private static final Set<String> FIELDS = new LinkedHashSet<>(List.of("params", "runAt", "delay", "priority", "key",
			"after"));

	private final JsonMapper mapper;

	private final long maxBytes;

	ExecuteRequestReader(JsonMapper mapper, DataSize maxRequestSize) {
		this.mapper = mapper;
		this.maxBytes = maxRequestSize.toBytes();
	}

	Submission read(String task, HttpServletRequest request) throws IOException {
		JsonNode root = readObject(request, "{\"params\": {...}}");
		if (root == null) {
			return Submission.of(task, this.mapper.createObjectNode(), TaskTrigger.API);
		}
		for (String field : root.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw new InvalidRequestException("Unknown field '" + field + "' in request body; allowed: " + FIELDS);
			}
		}
		JsonNode params = root.get("params");
		if (params != null && !params.isNull() && !params.isObject()) {
			throw new InvalidRequestException("'params' must be a JSON object of parameter names to values");
		}
		try {
			return new Submission(task, (params != null && params.isObject()) ? (ObjectNode) params
					: this.mapper.createObjectNode(), TaskTrigger.API, priority(root.get("priority")),
					runAt(root.get("runAt")), delay(root.get("delay")), key(root.get("key")), null,
					after(root.get("after")));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException(ex.getMessage());
		}
	}

	/**
	 * Reads a JSON object body within the size limit, accepting only JSON (415 otherwise).
	 * @param request the request
	 * @param example what the body looks like, for the error about a body that is no object
	 * @return the object, or {@code null} for an empty body without a content type
	 */
	@Nullable JsonNode readObject(HttpServletRequest request, String example) throws IOException {
		String contentType = request.getContentType();
		if (contentType != null && !isJson(contentType)) {
			throw unsupportedMediaType("got Content-Type '" + contentType + "'");
		}
		byte[] body = readBody(request);
		if (isBlank(body)) {
			return null;
		}
		if (contentType == null) {
			throw unsupportedMediaType("got a body without a Content-Type");
		}
		JsonNode root;
		try {
			root = this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("Malformed JSON in request body: " + ex.getOriginalMessage());
		}
		if (!root.isObject()) {
			throw new InvalidRequestException("The request body must be a JSON object such as " + example);
		}
		return root;
	}

	private static int priority(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return 0;
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt()) {
			throw new InvalidRequestException("'priority' must be an integer from " + Integer.MIN_VALUE + " to "
					+ Integer.MAX_VALUE + ", got " + node);
		}
		return node.intValue();
	}

	private static @Nullable Instant runAt(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		try {
			return Instant.parse(node.asString());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException("'runAt' must be an ISO-8601 instant such as 2026-01-31T09:00:00Z, got "
					+ node);
		}
	}

	private static @Nullable Duration delay(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(node.asString());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("'delay' must be a duration such as PT30S or 30s, got " + node);
		}
	}

	private static @Nullable String key(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw new InvalidRequestException("'key' must be a string, got " + node);
		}
		return node.asString();
	}

	private static List<UUID> after(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new InvalidRequestException("'after' must be an array of execution ids, got " + node);
		}
		List<UUID> ids = new ArrayList<>();
		for (JsonNode item : node) {
			try {
				ids.add(UUID.fromString(item.isString() ? item.asString() : ""));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRequestException("'after' must be an array of execution ids (UUIDs), got " + item);
			}
		}
		return ids;
	}

	private static boolean isJson(String contentType) {
		try {
			return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static InvalidRequestException unsupportedMediaType(String got) {
		return new InvalidRequestException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"The request body must be JSON with Content-Type: application/json, or be empty (without a"
						+ " Content-Type) to run with default params; " + got
						+ ". Form and text bodies are refused so that no form on another site can submit a task");
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
