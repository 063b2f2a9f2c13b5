package dev.backgroundtasks.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.TreeNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * Turns events into PostgreSQL notification payloads (JSON arrays, each under the 8,000-byte limit)
 * and back. Custom event data too large for one payload is dropped (the event still goes, its data
 * {@code null}). A notice that a node dropped events is an element {@code {"kind":"dropped","count":n}}
 * (nodes of earlier versions skip it, as every unknown kind).
 */
public final class ClusterEventCodec {

	/** Bytes per payload; PostgreSQL refuses 8,000 and more. */
	static final int MAX_PAYLOAD = 7900;

	private final JsonMapper mapper;

	public ClusterEventCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * @param events the events, in order
	 * @return payloads that carry them, in order
	 */
	public List<String> encode(List<SequencedEvent> events) {
		List<String> payloads = new ArrayList<>();
		StringBuilder current = new StringBuilder("[");
		int currentBytes = 1;
		for (SequencedEvent event : events) {
			String json = encode(event);
			if (json == null) {
				continue;
			}
			int bytes = json.getBytes(StandardCharsets.UTF_8).length;
			if (currentBytes + bytes + 2 > MAX_PAYLOAD && currentBytes > 1) {
				payloads.add(current.append(']').toString());
				current = new StringBuilder("[");
				currentBytes = 1;
			}
			if (currentBytes > 1) {
				current.append(',');
				currentBytes++;
			}
			current.append(json);
			currentBytes += bytes;
		}
		if (currentBytes > 1) {
			payloads.add(current.append(']').toString());
		}
		return payloads;
	}

	private @org.jspecify.annotations.Nullable String encode(SequencedEvent sequenced) {
		if (sequenced.event() instanceof ExecutionStatusEvent status) {
			// Two per execution: written by hand, the hottest line of the event thread.
			return encodeStatus(sequenced.id(), status);
		}
		// Written in one pass, without a tree.
		String json = this.mapper
			.writeValueAsString(new Envelope(sequenced.id(), sequenced.event().kind(), sequenced.event()));
		if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD - 2) {
			return json;
		}
		if (sequenced.event() instanceof ExecutionCustomEvent custom) {
			return encode(new SequencedEvent(sequenced.id(), new ExecutionCustomEvent(custom.executionId(),
					custom.task(), custom.attempt(), custom.name(), null)));
		}
		return null;
	}

	private static String encodeStatus(String id, ExecutionStatusEvent event) {
		StringBuilder json = new StringBuilder(160).append("{\"id\":");
		string(json, id).append(",\"kind\":\"status\",\"event\":{\"executionId\":\"").append(event.executionId())
			.append("\",\"task\":");
		string(json, event.task()).append(",\"status\":\"").append(event.status().name()).append("\",\"attempt\":")
			.append(event.attempt()).append(",\"node\":");
		String node = event.node();
		return ((node != null) ? string(json, node) : json.append("null")).append("}}").toString();
	}

	private static StringBuilder string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20) {
						json.append("\\u00").append(Character.forDigit(c >> 4, 16))
							.append(Character.forDigit(c & 0xF, 16));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"');
	}

	/**
	 * One event in a payload: {@code {"id": ..., "kind": ..., "event": {...}}}.
	 */
	record Envelope(String id, String kind, ExecutionEvent event) {

	}

	/**
	 * @param count how many events this node dropped
	 * @return a payload that tells every node so
	 */
	public String encodeDropped(long count) {
		return "[{\"kind\":\"dropped\",\"count\":" + count + "}]";
	}

	/**
	 * @param payload a payload made by {@link #encode(List)}
	 * @return the events it carries
	 */
	public List<SequencedEvent> decode(String payload) {
		List<SequencedEvent> events = new ArrayList<>();
		decode(payload, events::addAll);
		return events;
	}

	/**
	 * Passes what a payload carries to a sink, in order: its events, and the notices of dropped events
	 * ({@link #encodeDropped}).
	 * @param payload a payload made by {@link #encode(List)} or {@link #encodeDropped}
	 * @param target receives the events and notices
	 */
	public void decode(String payload, ExecutionEventSink target) {
		List<SequencedEvent> events = new ArrayList<>();
		for (JsonNode node : (ArrayNode) this.mapper.readTree(payload)) {
			String kind = node.get("kind").asString();
			if (kind.equals("dropped")) {
				if (!events.isEmpty()) {
					target.accept(List.copyOf(events));
					events.clear();
				}
				target.dropped(node.get("count").asLong());
				continue;
			}
			Class<? extends ExecutionEvent> type = switch (kind) {
				case "status" -> ExecutionStatusEvent.class;
				case "progress" -> ExecutionProgressEvent.class;
				case "custom" -> ExecutionCustomEvent.class;
				default -> null;
			};
			if (type != null) {
				// As a TreeNode: treeToValue(JsonNode, Class) exists only from Jackson 3.1, and Spring Boot 4.0.3,
				// for one, manages Jackson 3.0
				events.add(new SequencedEvent(node.get("id").asString(),
						this.mapper.treeToValue((TreeNode) node.get("event"), type)));
			}
		}
		if (!events.isEmpty()) {
			target.accept(events);
		}
	}

}
