package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ExecutionIds}.
 */
class ExecutionIdsTests {

	@Test
	void generatesVersion7IdsOfTheCurrentMillisecond() {
		long before = System.currentTimeMillis();
		UUID id = ExecutionIds.next();
		long after = System.currentTimeMillis();
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		// A burst may borrow a few milliseconds ahead; never one from the past.
		assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after + 100);
	}

	@Test
	void idsIncreaseInTheDatabasesOrderAcrossSingleAndBatchCalls() {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			ids.add(ExecutionIds.next());
			if (i % 1_000 == 0) {
				ids.addAll(Arrays.asList(ExecutionIds.next(3_000)));
			}
		}
		for (int i = 1; i < ids.size(); i++) {
			assertThat(unsignedCompare(ids.get(i - 1), ids.get(i))).as("id %d after id %d", i, i - 1).isNegative();
		}
		assertThat(ids).allSatisfy((id) -> assertThat(id.version()).isEqualTo(7));
	}

	@Test
	void theLowestIdOfAnInstantIsTheFirstOfItsMillisecond() {
		Instant at = Instant.parse("2026-03-01T12:00:00.123Z");
		UUID lowest = ExecutionIds.lowest(at);
		assertThat(lowest.version()).isEqualTo(7);
		assertThat(lowest.variant()).isEqualTo(2);
		assertThat(lowest.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
		assertThat(lowest.getMostSignificantBits() & 0xFFF).as("counter").isZero();
		assertThat(lowest.getLeastSignificantBits()).isEqualTo(0x8000000000000000L);
		UUID next = ExecutionIds.lowest(at.plusMillis(1));
		assertThat(ExecutionIds.lowest(at.plusNanos(1))).as("within the millisecond: the next one").isEqualTo(next);
		assertThat(ExecutionIds.lowest(at.minusNanos(1))).isEqualTo(lowest);
		assertThat(unsignedCompare(lowest, next)).isNegative();
	}

	@Test
	void idsOfAnInstantAndLaterAreNotBelowItsLowestId() {
		Instant before = Instant.ofEpochMilli(System.currentTimeMillis());
		UUID lowest = ExecutionIds.lowest(before);
		for (UUID id : ExecutionIds.next(5_000)) {
			assertThat(unsignedCompare(id, lowest)).isNotNegative();
		}
		UUID next = ExecutionIds.next();
		assertThat(unsignedCompare(next, ExecutionIds.lowest(Instant.now().plusSeconds(1)))).isNegative();
	}

	@Test
	void theLowestIdsOfTheEdgesOfTime() {
		UUID epoch = ExecutionIds.lowest(Instant.EPOCH);
		assertThat(epoch).isEqualTo(UUID.fromString("00000000-0000-7000-8000-000000000000"));
		assertThat(ExecutionIds.lowest(Instant.MIN)).as("before 1970").isEqualTo(epoch);
		assertThat(ExecutionIds.lowest(Instant.parse("1900-01-01T00:00:00Z"))).isEqualTo(epoch);
		Instant last = Instant.parse("+10889-08-02T05:31:50.655Z");
		assertThat(ExecutionIds.lowest(last)).isEqualTo(UUID.fromString("ffffffff-ffff-7000-8000-000000000000"));
		assertThatIllegalArgumentException().isThrownBy(() -> ExecutionIds.lowest(last.plusNanos(1)))
			.withMessage("An execution id holds instants up to +10889-08-02T05:31:50.655Z, got"
					+ " +10889-08-02T05:31:50.655000001Z");
		assertThatIllegalArgumentException().isThrownBy(() -> ExecutionIds.lowest(Instant.MAX));
	}

	/**
	 * PostgreSQL and H2 compare uuids as unsigned 128-bit numbers; {@link UUID#compareTo} does not.
	 */
	private static int unsignedCompare(UUID a, UUID b) {
		int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
		return (high != 0) ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
	}

}
