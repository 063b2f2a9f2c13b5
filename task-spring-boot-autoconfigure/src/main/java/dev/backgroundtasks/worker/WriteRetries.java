package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes the end of an attempt until the write succeeds: a dropped connection, a restarting database or a
 * failover must not turn a finished attempt into a lost one (run again, or failed although it succeeded).
 * The pause between tries doubles from {@link #FIRST_PAUSE} up to {@link #MAX_PAUSE}. The execution stays
 * held meanwhile, so the heartbeat keeps its lease; every write is fenced on its claim, and a write that
 * committed although its reply was lost is recognised when tried again (see
 * {@link dev.backgroundtasks.execution.ExecutionStore}). Only an interrupt of the writing thread (the node
 * stops for good) ends the tries: the execution's lease then expires and any node runs it again.
 */
final class WriteRetries {

	static final Duration FIRST_PAUSE = Duration.ofMillis(100);

	static final Duration MAX_PAUSE = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(WriteRetries.class);

	private WriteRetries() {
	}

	/**
	 * @param what what is written, for the log
	 * @param write the write
	 * @return what the write returned
	 * @throws RuntimeException the last failure, when the thread was interrupted while waiting to try again
	 */
	static <T> T untilWritten(String what, Supplier<T> write) {
		long pause = FIRST_PAUSE.toMillis();
		for (int tries = 1;; tries++) {
			try {
				T written = write.get();
				if (tries > 1) {
					logger.info("Wrote " + what + " after " + tries + " tries");
				}
				return written;
			}
			catch (RuntimeException ex) {
				if (tries == 1) {
					logger.warn("Could not write " + what + "; trying again until it is written", ex);
				}
				else if (Long.bitCount(tries) == 1) {
					logger.warn("Could not write " + what + " in " + tries + " tries; still trying: " + ex);
				}
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
				pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
			}
		}
	}

}
