package dev.backgroundtasks.execution;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Generates version 7 UUIDs (RFC 9562): time-ordered, so ids sort by creation, break ties between
 * executions created in the same instant, and keep index inserts local.
 */
public final class ExecutionIds {

	private static final SecureRandom random = new SecureRandom();

	private ExecutionIds() {
	}

	/**
	 * @return a new version 7 UUID
	 */
	public static UUID next() {
		long millis = System.currentTimeMillis();
		long randA = random.nextInt(1 << 12);
		return uuid(millis, randA, random.nextLong());
	}

	/**
	 * Generates many ids with one draw from the random generator (a draw costs far more than its bytes).
	 * @param count how many
	 * @return new version 7 UUIDs, all with the same timestamp
	 */
	public static UUID[] next(int count) {
		long millis = System.currentTimeMillis();
		ByteBuffer bytes = ByteBuffer.allocate(count * Long.BYTES * 2);
		random.nextBytes(bytes.array());
		UUID[] ids = new UUID[count];
		for (int i = 0; i < count; i++) {
			ids[i] = uuid(millis, bytes.getLong() & 0xFFF, bytes.getLong());
		}
		return ids;
	}

	private static UUID uuid(long millis, long randA, long randB) {
		long msb = (millis << 16) | (0x7L << 12) | randA;
		long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

}
