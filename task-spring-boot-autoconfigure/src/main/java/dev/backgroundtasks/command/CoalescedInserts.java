package dev.backgroundtasks.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import org.jspecify.annotations.Nullable;

/**
 * Stores the plain submissions of concurrent threads together, as a database commits concurrent
 * transactions together: while one thread's insert is on its way, the submissions of other threads
 * queue, and the next of them stores everything that queued in one statement, which commits on its own.
 * Every caller still returns only once its own row is committed, and throws when it is not stored. A
 * thread that submits alone stores its row with the single-row insert, with nothing added but an
 * uncontended lock. When a shared insert fails, each of its callers stores its row again by itself,
 * so that one row the database refuses fails no other caller.
 * <p>
 * Only executions that need nothing but an insert are passed here ({@link NewExecution#isPlainDueNow()},
 * no transaction of the caller): a caller's transaction must hold its own row, and keys, delays and
 * dependencies have statements of their own.
 */
final class CoalescedInserts {

	/** The most rows one shared insert stores: one statement on every database. */
	static final int MAX_ROWS = 500;

	/** How long a waiting thread sleeps at most before it looks again, should a wake-up be missed. */
	private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final ExecutionStore store;

	/**
	 * How many shared inserts may be on their way at once. One: two let more rows go alone and stored
	 * fewer per second (4 submitting threads on PostgreSQL, benchmarks/RESULTS.md, issue #19).
	 */
	static final int LEADERS = 1;

	private final Semaphore leaders = new Semaphore(LEADERS);

	private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

	CoalescedInserts(ExecutionStore store) {
		this.store = store;
	}

	/**
	 * Stores one execution, alone or with those other threads submit meanwhile, and returns once it is
	 * committed.
	 * @param execution a plain execution, due now
	 */
	void insert(NewExecution execution) {
		Pending mine = new Pending(execution, Thread.currentThread());
		this.queue.add(mine);
		boolean interrupted = false;
		while (!mine.isDone()) {
			if (this.leaders.tryAcquire()) {
				try {
					while (!mine.isDone()) {
						store(take());
					}
				}
				finally {
					this.leaders.release();
				}
				// After the unlock: a thread that queued while this one led and found the lock taken waits
				// for this wake-up, or finds the lock free itself.
				Pending next = this.queue.peek();
				if (next != null) {
					LockSupport.unpark(next.thread);
				}
			}
			else {
				LockSupport.parkNanos(this, RECHECK_NANOS);
				// An interrupt would end every park at once: kept for the caller, not spun on.
				interrupted |= Thread.interrupted();
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		mine.outcome();
	}

	/**
	 * @return how many submissions wait to be stored
	 */
	int queued() {
		return this.queue.size();
	}

	private List<Pending> take() {
		List<Pending> group = new ArrayList<>();
		Pending next;
		while (group.size() < MAX_ROWS && (next = this.queue.poll()) != null) {
			group.add(next);
		}
		return group;
	}

	private void store(List<Pending> group) {
		if (group.size() == 1) {
			Pending only = group.get(0);
			if (only.thread != Thread.currentThread()) {
				// Nothing shared: its own thread stores it, and throws what it throws there.
				only.end(State.ALONE, null);
				return;
			}
			try {
				this.store.insert(only.execution);
				only.end(State.STORED, null);
			}
			catch (RuntimeException | Error ex) {
				only.end(State.FAILED, ex);
			}
			return;
		}
		List<NewExecution> executions = new ArrayList<>(group.size());
		for (Pending pending : group) {
			executions.add(pending.execution);
		}
		State state;
		try {
			this.store.insertAll(executions);
			state = State.STORED;
		}
		catch (RuntimeException | Error ex) {
			// One statement: none of them was stored. Each caller tries its own row alone, and learns its
			// own outcome.
			state = State.ALONE;
		}
		for (Pending pending : group) {
			pending.end(state, null);
		}
	}

	private enum State {

		QUEUED, STORED, FAILED, ALONE

	}

	private final class Pending {

		private final NewExecution execution;

		private final Thread thread;

		private volatile State state = State.QUEUED;

		private volatile @Nullable Throwable failure;

		Pending(NewExecution execution, Thread thread) {
			this.execution = execution;
			this.thread = thread;
		}

		boolean isDone() {
			return this.state != State.QUEUED;
		}

		void end(State state, @Nullable Throwable failure) {
			this.failure = failure;
			this.state = state;
			if (this.thread != Thread.currentThread()) {
				LockSupport.unpark(this.thread);
			}
		}

		/**
		 * Returns when the row is stored; stores it alone when it was given back; throws what storing it
		 * threw.
		 */
		void outcome() {
			if (this.state == State.ALONE) {
				CoalescedInserts.this.store.insert(this.execution);
				return;
			}
			Throwable failure = this.failure;
			if (failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (failure instanceof Error error) {
				throw error;
			}
		}

	}

}
