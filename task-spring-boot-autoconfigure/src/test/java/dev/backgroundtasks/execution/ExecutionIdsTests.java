package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

	/**
	 * PostgreSQL and H2 compare uuids as unsigned 128-bit numbers; {@link UUID#compareTo} does not.
	 */
	private static int unsignedCompare(UUID a, UUID b) {
		int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
		return (high != 0) ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
	}

}
