package dev.backgroundtasks.execution;

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
		long msb = (millis << 16) | (0x7L << 12) | randA;
		long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

}
