package dev.backgroundtasks.modulith.it;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.backgroundtasks.BackgroundTask;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.Externalized;
import org.springframework.stereotype.Component;

/**
 * An application with Spring Modulith's JDBC event publication registry: listeners that fail, events
 * externalized to a task and to no task.
 */
@SpringBootApplication
public class ModulithTestApplication {

	/** Handled by a listener that fails its first two deliveries. */
	public record OrderPlaced(String orderId) {
	}

	/** Handled by a listener that always fails. */
	public record PoisonPill(String id) {
	}

	/** Externalized to the task {@code record-shipment}. */
	@Externalized("record-shipment")
	public record ShipmentBooked(String orderId, int parcels) {
	}

	/** Externalized to a target that names no task. */
	@Externalized("no-such-task")
	public record ParcelLost(String parcelId) {
	}

	@Component
	public static class Listeners {

		private final Map<String, List<Instant>> deliveries = new ConcurrentHashMap<>();

		/**
		 * @param id an event's id
		 * @return when it was delivered, in order
		 */
		public List<Instant> deliveries(String id) {
			return List.copyOf(this.deliveries.getOrDefault(id, List.of()));
		}

		@ApplicationModuleListener
		void on(OrderPlaced event) {
			if (deliver(event.orderId()) <= 2) {
				throw new IllegalStateException("Delivery of " + event + " fails this time");
			}
		}

		@ApplicationModuleListener
		void on(PoisonPill event) {
			deliver(event.id());
			throw new IllegalStateException("Delivery of " + event + " always fails");
		}

		private int deliver(String id) {
			List<Instant> times = this.deliveries.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>());
			times.add(Instant.now());
			return times.size();
		}

	}

	@Component
	public static class ShipmentTasks {

		@BackgroundTask(name = "record-shipment")
		public String recordShipment(String orderId, int parcels) {
			return orderId + " x " + parcels;
		}

	}

}
