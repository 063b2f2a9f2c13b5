package dev.backgroundtasks.compatibility;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskSchedule;
import dev.backgroundtasks.event.TaskExecutionListener;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * A small application as a user writes one: a few tasks, a listener, nothing of the starter's internals.
 */
@SpringBootApplication
public class CompatibilityApplication {

	@Bean
	RecordingListener recordingListener() {
		return new RecordingListener();
	}

	/** An order line, bound from JSON as a record inside a list. */
	public record OrderLine(String sku, int quantity, BigDecimal price) {
	}

	/** The result of {@code order-total}, stored as JSON. */
	public record OrderTotal(BigDecimal total, String currency, String coupon, int lines) {
	}

	@Component
	public static class Tasks {

		final AtomicInteger ticks = new AtomicInteger();

		@BackgroundTask(name = "order-total", description = "Totals an order after discounts")
		public OrderTotal orderTotal(List<OrderLine> lines, Map<String, Integer> discountPercents,
				Optional<String> coupon, @TaskParam(defaultValue = "EUR") String currency) {
			BigDecimal total = BigDecimal.ZERO;
			for (OrderLine line : lines) {
				int discount = discountPercents.getOrDefault(line.sku(), 0);
				BigDecimal gross = line.price().multiply(BigDecimal.valueOf(line.quantity()));
				total = total.add(gross.multiply(BigDecimal.valueOf(100 - discount)).movePointLeft(2));
			}
			return new OrderTotal(total.stripTrailingZeros(), currency, coupon.orElse("none"), lines.size());
		}

		@BackgroundTask(name = "add")
		public int add(int a, int b) {
			return a + b;
		}

		@BackgroundTask(name = "always-fails", retry = @Retry(maxAttempts = 2, minDelay = "100ms", maxDelay = "100ms"))
		public void alwaysFails(String why) {
			throw new IllegalStateException("Failed on purpose: " + why);
		}

		@BackgroundTask(name = "staged")
		public String staged(TaskContext context) {
			context.total(3);
			for (int step = 1; step <= 3; step++) {
				context.progress(step).message("step " + step);
			}
			context.event("checked", Map.of("rows", List.of(1, 2, 3), "ok", true));
			return "done";
		}

		@BackgroundTask(name = "tick")
		@TaskSchedule(every = "1s")
		public void tick() {
			this.ticks.incrementAndGet();
		}

	}

	/** Sees every outcome, as a user's listener does. */
	public static class RecordingListener implements TaskExecutionListener {

		final List<Execution> successes = new CopyOnWriteArrayList<>();

		final List<Execution> failures = new CopyOnWriteArrayList<>();

		@Override
		public void onSuccess(Execution execution) {
			this.successes.add(execution);
		}

		@Override
		public void onFailure(Execution execution) {
			this.failures.add(execution);
		}

	}

}
