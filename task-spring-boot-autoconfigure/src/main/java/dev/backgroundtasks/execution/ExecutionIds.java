package dev.backgroundtasks.execution;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates version 7 UUIDs (RFC 9562): time-ordered, so listings sort by id, newest first, and index
 * inserts stay local. Ids of one node are also strictly increasing (RFC 9562, method 1): the 12 bits
 * after the millisecond count up within a millisecond from a random start below 2048, and a burst of
 * more than fits borrows the next milliseconds.
 */
public final class ExecutionIds {

	private static final SecureRandom random = new SecureRandom();

	private static final long MAX_START = 1 << 11;

	/** The last millisecond an id can hold: its 48 bits of Unix time run out in the year 10889. */
	static final Instant LAST = Instant.ofEpochMilli((1L << 48) - 1);

	/** The millisecond and the 12-bit counter of the last id, as one number. */
	private static final AtomicLong last = new AtomicLong();

	private ExecutionIds() {
	}

	/**
	 * @return a new version 7 UUID, greater than every id this class returned before
	 */
	public static UUID next() {
		return uuid(reserve(1), RandomBits.LOCAL.get().next());
	}

	/**
	 * Random bits drawn from the secure generator many at a time: a draw reads the operating system's
	 * generator under a lock, which costs far more than its bytes, and submitting threads would take
	 * turns for it.
	 */
	private static final class RandomBits {

		private static final ThreadLocal<RandomBits> LOCAL = ThreadLocal.withInitial(RandomBits::new);

		private static final int DRAW = 32;

		private final ByteBuffer bytes = ByteBuffer.allocate(DRAW * Long.BYTES);

		private int left;

		long next() {
			if (this.left == 0) {
				random.nextBytes(this.bytes.array());
				this.bytes.clear();
				this.left = DRAW;
			}
			this.left--;
			return this.bytes.getLong();
		}

	}

	/**
	 * Generates many ids with one draw from the random generator (a draw costs far more than its bytes).
	 * @param count how many
	 * @return new version 7 UUIDs, increasing, greater than every id this class returned before
	 */
	public static UUID[] next(int count) {
		long first = reserve(count);
		ByteBuffer bytes = ByteBuffer.allocate(count * Long.BYTES);
		random.nextBytes(bytes.array());
		UUID[] ids = new UUID[count];
		for (int i = 0; i < count; i++) {
			ids[i] = uuid(first + i, bytes.getLong());
		}
		return ids;
	}

	/**
	 * Returns the lowest id of the executions created at or after an instant, so that a range of creation
	 * times is a range of the primary key: every id of a later millisecond is greater than or equal to
	 * it, every id of an earlier one lower, compared as PostgreSQL and H2 compare uuids (unsigned
	 * 128-bit numbers, unlike {@link UUID#compareTo}). Ids hold their millisecond only: an instant
	 * within a millisecond counts from the next one. The millisecond is the one the id holds, the
	 * submitting node's clock (a burst may borrow the next few), not the database time of
	 * {@code createdAt}.
	 * @param time the instant, not after the year 10889; any instant before 1970 gives the lowest id of all
	 * @return the lowest version 7 id of the first millisecond at or after {@code time}
	 * @throws IllegalArgumentException when {@code time} is after the last millisecond an id can hold
	 */
	public static UUID lowest(Instant time) {
		if (time.isAfter(LAST)) {
			throw new IllegalArgumentException("An execution id holds instants up to " + LAST + ", got " + time);
		}
		if (time.isBefore(Instant.EPOCH)) {
			return uuid(0, 0);
		}
		long millis = time.toEpochMilli() + ((time.getNano() % 1_000_000 != 0) ? 1 : 0);
		return uuid(millis << 12, 0);
	}

	/**
	 * @return the first of {@code count} consecutive (millisecond, counter) values, all after the last
	 */
	private static long reserve(int count) {
		// Where a millisecond's counter starts needs no secure random: the 62 random bits of each id do.
		long now = (System.currentTimeMillis() << 12) | ThreadLocalRandom.current().nextLong(MAX_START);
		long previous;
		long first;
		do {
			previous = last.get();
			first = Math.max(now, previous + 1);
		}
		while (!last.compareAndSet(previous, first + count - 1));
		return first;
	}

	private static UUID uuid(long sequence, long randB) {
		long msb = ((sequence >>> 12) << 16) | (0x7L << 12) | (sequence & 0xFFF);
		long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

}
