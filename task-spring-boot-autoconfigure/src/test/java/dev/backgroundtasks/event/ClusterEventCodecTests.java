package dev.backgroundtasks.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterEventCodec}.
 */
class ClusterEventCodecTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ClusterEventCodec codec = new ClusterEventCodec(this.mapper);

	@Test
	void everyKindOfEventSurvivesTheRoundTripInOrder() {
		UUID id = UUID.randomUUID();
		List<SequencedEvent> events = List.of(
				new SequencedEvent("a-1", new ExecutionStatusEvent(id, "report", TaskStatus.RUNNING, 2, "node-1")),
				new SequencedEvent("a-2", new ExecutionProgressEvent(id, "report", 2, ExecutionProgress.of(3, 10, "rows"))),
				new SequencedEvent("a-3", new ExecutionCustomEvent(id, "report", 2, "checkpoint",
						this.mapper.valueToTree(Map.of("row", 3)))),
				new SequencedEvent("a-4", new ExecutionStatusEvent(id, "report", TaskStatus.READY, 0, null)));
		List<String> payloads = this.codec.encode(events);
		assertThat(payloads).hasSize(1);
		assertThat(payloads.get(0)).startsWith("[{\"id\":\"a-1\",\"kind\":\"status\",\"event\":{");
		assertThat(this.codec.decode(payloads.get(0))).isEqualTo(events);
	}

	@Test
	void namesThatNeedEscapingSurviveTheRoundTrip() {
		List<SequencedEvent> events = List.of(new SequencedEvent("c-\"1\"", new ExecutionStatusEvent(UUID.randomUUID(),
				"say \"hi\" \\ to\tall\u0001 \u00e9\u6f22", TaskStatus.FAILED, 3, "node \"b\"\n")));
		List<String> payloads = this.codec.encode(events);
		assertThat(this.mapper.readTree(payloads.get(0)).isArray()).isTrue();
		assertThat(this.codec.decode(payloads.get(0))).isEqualTo(events);
	}

	@Test
	void manyEventsAreSplitIntoPayloadsUnderTheNotifyLimit() {
		List<SequencedEvent> events = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			events.add(new SequencedEvent("b-" + i,
					new ExecutionStatusEvent(UUID.randomUUID(), "noop", TaskStatus.SUCCESSFUL, 1, "node-1")));
		}
		List<String> payloads = this.codec.encode(events);
		assertThat(payloads).hasSizeGreaterThan(1);
		assertThat(payloads).allSatisfy((payload) -> assertThat(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8))
			.hasSizeLessThan(ClusterEventCodec.MAX_PAYLOAD + 1));
		List<SequencedEvent> decoded = payloads.stream().flatMap((payload) -> this.codec.decode(payload).stream()).toList();
		assertThat(decoded).isEqualTo(events);
	}

	@Test
	void aNoticeOfDroppedEventsReachesTheSinkBetweenTheEventsAroundIt() {
		UUID id = UUID.randomUUID();
		SequencedEvent before = new SequencedEvent("d-1", new ExecutionStatusEvent(id, "noop", TaskStatus.RUNNING, 1, "n"));
		SequencedEvent after = new SequencedEvent("d-2", new ExecutionStatusEvent(id, "noop", TaskStatus.SUCCESSFUL, 1, "n"));
		String payload = "[" + String.join(",", inner(this.codec.encode(List.of(before)).get(0)),
				inner(this.codec.encodeDropped(7)), inner(this.codec.encode(List.of(after)).get(0))) + "]";
		List<Object> received = new ArrayList<>();
		this.codec.decode(payload, new ExecutionEventSink() {

			@Override
			public void accept(List<SequencedEvent> events) {
				received.add(events);
			}

			@Override
			public void dropped(long count) {
				received.add(count);
			}

		});
		assertThat(received).containsExactly(List.of(before), 7L, List.of(after));
		// Where only events are wanted (and on nodes of earlier versions) the notice is skipped.
		assertThat(this.codec.decode(payload)).containsExactly(before, after);
		assertThat(this.codec.decode(this.codec.encodeDropped(3))).isEmpty();
	}

	private static String inner(String payload) {
		return payload.substring(1, payload.length() - 1);
	}

}
