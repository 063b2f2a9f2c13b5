package dev.backgroundtasks.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The engine's long-lived threads, for the health indicator. A component registers each of its threads
 * when it starts, in one call, and removes the registration when it stops on purpose; a registered
 * thread that ends meanwhile (an {@code Error}, a bug) is reported {@link #dead() dead}, so that a node
 * that heartbeats but no longer works does not look healthy. Where a thread is shared (a scheduled
 * executor), register what tells whether its job still runs instead.
 */
public class EngineThreads {

	private final Set<Registered> registered = ConcurrentHashMap.newKeySet();

	/**
	 * Registers a thread, dead once it has terminated; a thread not started yet is not dead.
	 * @param thread the thread
	 * @return the registration, to remove when the thread stops on purpose
	 */
	public Registration register(Thread thread) {
		return register(thread.getName(), () -> thread.getState() != Thread.State.TERMINATED);
	}

	/**
	 * Registers something whose liveness its component can tell, such as a periodic job.
	 * @param name the name the health shows when it is dead
	 * @param alive tells whether it is alive; a check that throws counts as dead
	 * @return the registration, to remove when it stops on purpose
	 */
	public Registration register(String name, BooleanSupplier alive) {
		Registered entry = new Registered(name, alive);
		this.registered.add(entry);
		return () -> this.registered.remove(entry);
	}

	/**
	 * @return the names of the registered threads that are dead, sorted; empty when all are alive
	 */
	public List<String> dead() {
		return this.registered.stream().filter((entry) -> !entry.alive()).map(Registered::name).sorted().toList();
	}

	/**
	 * A registration of a thread.
	 */
	@FunctionalInterface
	public interface Registration {

		/**
		 * Forgets the thread: it stops on purpose, and its end is no failure.
		 */
		void remove();

	}

	/**
	 * One registered thread; compared by identity, so that a name may be registered twice.
	 */
	private static final class Registered {

		private final String name;

		private final BooleanSupplier alive;

		Registered(String name, BooleanSupplier alive) {
			this.name = name;
			this.alive = alive;
		}

		String name() {
			return this.name;
		}

		boolean alive() {
			try {
				return this.alive.getAsBoolean();
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

	}

}
