package dev.backgroundtasks.worker;

import java.util.stream.IntStream;

import dev.backgroundtasks.worker.ClaimSizing.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClaimSizing}.
 */
class ClaimSizingTests {

	@ParameterizedTest(name = "{0} free, {1} of {2} ahead, queued work {3}: claim {4}, give back {5}, wake at {6}")
	@CsvSource(textBlock = """
			# free, ahead, prefetch, queued, claim, release, wakeAt
			# The whole prefetch is worth it: every free slot is claimed for.
			110, 100, 100, false, 110,  0, 1
			110, 100, 100, true,  110,  0, 1
			# No prefetch configured: the free threads are claimed for.
			  4,   0,   0, false,   4,  0, 1
			  1,   0,   0, true,    1,  0, 1
			# Long executions: the prefetch is not worth it; what is left of the free slots is claimed for.
			110,   0, 100, false,  10, 100, 1
			110,   0, 100, true,   10, 100, 1
			# Part of the prefetch is worth it: the rest of it stays free.
			110,  40, 100, false,  50, 60, 1
			110,  40, 100, true,   50, 60, 1
			""")
	void claimsTheFreeSlotsLessThePrefetchNotWorthClaiming(int free, int ahead, int prefetch, boolean queued,
			int claim, int release, int wakeAt) {
		assertThat(ClaimSizing.size(free, ahead, prefetch, queued)).isEqualTo(new Size(claim, release, wakeAt));
	}

	@ParameterizedTest(name = "{0} free, {1} of {2} ahead")
	@CsvSource(textBlock = """
			# free, ahead, prefetch
			# Only slots of the unused prefetch are free.
			 60,  40, 100
			 30,  40, 100
			  1,   0, 100
			# Exactly as many free as the prefetch not worth using.
			100,   0, 100
			""")
	void claimsNothingAndWaitsForAnyWakeUpWhenOnlyUnusedPrefetchIsFree(int free, int ahead, int prefetch) {
		for (boolean queued : new boolean[] { false, true }) {
			Size size = ClaimSizing.size(free, ahead, prefetch, queued);
			assertThat(size).isEqualTo(new Size(0, free, 1));
			assertThat(size.waitsForBatch()).isFalse();
		}
	}

	@ParameterizedTest(name = "{0} free, {1} of {2} ahead: wait for {3}")
	@CsvSource(textBlock = """
			# free, ahead, prefetch, batch
			# 5 worth claiming, a batch is 20 (half of 40).
			 65,  40, 100, 20
			# 1 worth claiming, a batch is 50.
			  1, 100, 100, 50
			# 19 worth claiming, one short of a batch of 20.
			 79,  40, 100, 20
			# An odd prefetch rounds the batch down: 2 of 5 ahead.
			  1,   5,   5,  2
			""")
	void waitsForABatchOfFreeSlotsWhileTheThreadsHaveQueuedWork(int free, int ahead, int prefetch, int batch) {
		Size size = ClaimSizing.size(free, ahead, prefetch, true);
		assertThat(size).isEqualTo(new Size(0, free, batch));
		assertThat(size.waitsForBatch()).isTrue();
	}

	@ParameterizedTest(name = "{0} free, {1} of {2} ahead")
	@CsvSource(textBlock = """
			# free, ahead, prefetch, claim
			 65,  40, 100,  5
			  1, 100, 100,  1
			 79,  40, 100, 19
			""")
	void claimsLessThanABatchWhenTheThreadsHaveNothingQueued(int free, int ahead, int prefetch, int claim) {
		Size size = ClaimSizing.size(free, ahead, prefetch, false);
		assertThat(size).isEqualTo(new Size(claim, free - claim, 1));
		assertThat(size.waitsForBatch()).isFalse();
	}

	@Test
	void claimsAFullBatchAtOnce() {
		// 20 worth claiming: exactly a batch of half of 40.
		assertThat(ClaimSizing.size(80, 40, 100, true)).isEqualTo(new Size(20, 60, 1));
	}

	@Test
	void neverWaitsForABatchWhenLittleIsWorthClaimingAhead() {
		// Fewer than 4 ahead make a batch of 1, which any free slot fills.
		for (int ahead = 0; ahead < 4; ahead++) {
			assertThat(ClaimSizing.size(1 + 10 - ahead, ahead, 10, true)).isEqualTo(new Size(1, 10 - ahead, 1));
		}
	}

	@Test
	void neverClaimsMoreThanTheFreeSlots() {
		assertThat(ClaimSizing.size(3, 8, 4, false)).isEqualTo(new Size(3, 0, 1));
	}

	@Test
	void everyFreeSlotIsEitherClaimedForOrGivenBack() {
		int prefetch = 24;
		int concurrency = 8;
		for (int free = 1; free <= concurrency + prefetch; free++) {
			for (int ahead = 0; ahead <= prefetch; ahead++) {
				for (boolean queued : new boolean[] { false, true }) {
					Size size = ClaimSizing.size(free, ahead, prefetch, queued);
					String sized = free + " free, " + ahead + " ahead, queued " + queued + ": " + size;
					assertThat(size.claim() + size.release()).as(sized).isEqualTo(free);
					assertThat(size.claim()).as(sized).isBetween(0, free);
					assertThat(size.claim()).as(sized).isLessThanOrEqualTo(Math.max(0, free - (prefetch - ahead)));
					assertThat(size.wakeAt()).as(sized).isBetween(1, Math.max(1, ahead / 2));
				}
			}
		}
	}

	@Test
	void aClaimLeavesThePrefetchNotWorthUsingFree() {
		// Whatever the free slots, what is claimed plus what runs never exceeds concurrency plus ahead.
		int concurrency = 8;
		int prefetch = 40;
		IntStream.rangeClosed(0, prefetch).forEach((ahead) -> {
			Size size = ClaimSizing.size(concurrency + prefetch, ahead, prefetch, false);
			assertThat(size.claim()).as("ahead %d", ahead).isEqualTo(concurrency + ahead);
		});
	}

}
