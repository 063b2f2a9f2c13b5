package dev.backgroundtasks.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
	void encodesEachEventWithItsIdAndKind() {
		UUID id = UUID.randomUUID();
		List<String> payloads = this.codec.encode(List.of(
				new SequencedEvent("o-1", new ExecutionStatusEvent(id, "greet", TaskStatus.RUNNING, 1, "n1"))));
		assertThat(payloads).singleElement()
			.isEqualTo("[{\"id\":\"o-1\",\"kind\":\"status\",\"event\":" + this.mapper.writeValueAsString(
					new ExecutionStatusEvent(id, "greet", TaskStatus.RUNNING, 1, "n1")) + "}]");
	}

	@Test
	void decodesWhatItEncodesInPayloadsUnderTheLimit() {
		List<SequencedEvent> events = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			ExecutionEvent event = (i % 3 == 0)
					? new ExecutionCustomEvent(UUID.randomUUID(), "task", 1, "custom", this.mapper.valueToTree(Map.of("i", i)))
					: new ExecutionStatusEvent(UUID.randomUUID(), "task", TaskStatus.READY, 0, null);
			events.add(new SequencedEvent("o-" + i, event));
		}
		List<String> payloads = this.codec.encode(events);
		assertThat(payloads).hasSizeGreaterThan(1)
			.allSatisfy((payload) -> assertThat(payload.getBytes().length).isLessThan(ClusterEventCodec.MAX_PAYLOAD));
		assertThat(payloads.stream().flatMap((payload) -> this.codec.decode(payload).stream()).toList())
			.isEqualTo(events);
	}

}
