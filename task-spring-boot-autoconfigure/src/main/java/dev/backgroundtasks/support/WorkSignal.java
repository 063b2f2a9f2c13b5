package dev.backgroundtasks.support;

import java.time.Duration;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the local worker when work is submitted, so pickup does not wait for the next poll, and, once
 * the work is committed, the other nodes' workers. Wake-ups coalesce:
 * many submissions before the worker looks count as one.
 */
public class WorkSignal {

	private final Object monitor = new Object();

	private boolean signalled;

	private final Runnable clusterWake;

	/**
	 * A signal for this node only.
	 */
	public WorkSignal() {
		this(() -> {
		});
	}

	/**
	 * @param clusterWake wakes the other nodes' workers; called after each commit of new work, so it
	 * must not block
	 */
	public WorkSignal(Runnable clusterWake) {
		this.clusterWake = clusterWake;
	}

	/**
	 * Wakes the worker now.
	 */
	public void wake() {
		synchronized (this.monitor) {
			this.signalled = true;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Wakes the workers of this node and of the others when the current transaction commits (never on
	 * rollback), or now when there is no transaction: workers cannot see uncommitted rows.
	 */
	public void wakeAfterCommit() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					wakeAll();
				}
			});
		}
		else {
			wakeAll();
		}
	}

	/**
	 * Wakes the workers of this node and of the others now, for work that is committed already.
	 */
	public void wakeAll() {
		wake();
		this.clusterWake.run();
	}

	/**
	 * Waits for a wake-up.
	 * @param timeout how long to wait at most
	 * @return whether a wake-up came (possibly before the call)
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	public boolean await(Duration timeout) throws InterruptedException {
		synchronized (this.monitor) {
			if (!this.signalled && !timeout.isZero()) {
				this.monitor.wait(Math.max(1, timeout.toMillis()));
			}
			boolean woken = this.signalled;
			this.signalled = false;
			return woken;
		}
	}

}
