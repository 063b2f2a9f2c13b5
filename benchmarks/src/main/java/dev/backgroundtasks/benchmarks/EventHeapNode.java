package dev.backgroundtasks.benchmarks;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.event.TaskExecutionListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The draining node of {@link EventHeapBenchmark}: ours as a web application (REST API and event stream on
 * {@code bench.port}) with the library's default settings, the suite's no-op task and a
 * {@link TaskExecutionListener} bean that counts its callbacks. Every task waits, uncounted, until the file
 * {@code bench.gateFile} exists, so that the stream client is connected before the drain starts. Prints
 * {@code BENCH-READY} once it serves; from the first task's start it takes the heap after a full collection
 * ({@link HeapAfterGc}) every {@code bench.heapSampleSeconds} (5) and the length of the event queue every
 * 100 ms, until the database shows every row finished (or {@code bench.heapSeconds}, 900, passed); then one
 * more heap sample, and {@code BENCH-RESULT}. The event publisher's counts are read by reflection, so the
 * node runs against library versions before the bounded queue too (its queue's length from its field).
 */
public final class EventHeapNode {

	private EventHeapNode() {
	}

	public static void main(String[] args) throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		DrainCounter.holdUntil(gate);
		long rows = Bench.integer("rows", 1_000_000);
		try (ConfigurableApplicationContext context = start()) {
			DataSource dataSource = context.getBean(DataSource.class);
			EventQueueProbe events = new EventQueueProbe(context);
			Bench.ready();
			Path gateFile = Path.of(Bench.required("gateFile"));
			while (!Files.exists(gateFile)) {
				Bench.sleep(5);
			}
			gate.countDown();
			Bench.result(measure(rows, dataSource, events));
		}
	}

	private static Map<String, Object> measure(long rows, DataSource dataSource, EventQueueProbe events) {
		HeapAfterGc heap = new HeapAfterGc();
		AtomicLong maxQueued = new AtomicLong();
		Thread queueSampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				maxQueued.accumulateAndGet(events.queued(), Math::max);
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "bench-queue-sampler");
		queueSampler.setDaemon(true);
		queueSampler.start();
		long startupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
		while (DrainCounter.firstStartNanos() == 0) {
			if (System.nanoTime() > startupDeadline) {
				throw new IllegalStateException("no task started within 300 s");
			}
			Bench.sleep(5);
		}
		long first = DrainCounter.firstStartNanos();
		long period = TimeUnit.SECONDS.toNanos(Bench.integer("heapSampleSeconds", 5));
		long deadline = first + TimeUnit.SECONDS.toNanos(Bench.integer("heapSeconds", 900));
		List<Sample> samples = new ArrayList<>();
		long nextSample = first + period;
		long end = 0;
		while (end == 0 && System.nanoTime() < deadline) {
			if (System.nanoTime() >= nextSample) {
				samples.add(sample(heap, first, events));
				nextSample += period;
			}
			if (DrainCounter.done() >= rows && Jdbc.queryLong(dataSource,
					"SELECT count(*) FROM bgt_execution WHERE status IN ('READY', 'RUNNING')") == 0) {
				end = System.nanoTime();
			}
			Bench.sleep(20);
		}
		boolean drained = end != 0;
		end = drained ? end : System.nanoTime();
		samples.add(sample(heap, first, events));
		queueSampler.interrupt();
		double seconds = (end - first) / 1e9;
		Map<String, Object> figures = Bench.figures();
		figures.put("rows", rows);
		figures.put("ranInJvm", DrainCounter.done());
		figures.put("drainedAll", drained);
		figures.put("drainSeconds", format(seconds));
		figures.put("drainRate", Math.round(DrainCounter.done() / seconds));
		figures.put("heapFirstMb", format(samples.get(0).mb()));
		figures.put("heapLastMb", format(samples.get(samples.size() - 1).mb()));
		figures.put("heapMaxMb", format(samples.stream().mapToDouble(Sample::mb).max().orElseThrow()));
		figures.put("heapSampleCount", samples.size());
		figures.put("eventsDropped", events.dropped());
		figures.put("eventsQueuedMax", maxQueued.get());
		figures.put("eventsQueuedAtEnd", events.queued());
		figures.put("listenerOnStart", CountingListener.starts.get());
		figures.put("listenerOnComplete", CountingListener.completes.get());
		figures.put("failed",
				Jdbc.queryLong(dataSource, "SELECT count(*) FROM bgt_execution WHERE status <> 'SUCCESSFUL'"));
		// Seconds since the first start : tasks run : MB after GC : events queued : events dropped so far.
		figures.put("heapSamples", samples.stream().map(Sample::toString).collect(Collectors.joining(",")));
		return figures;
	}

	private static Sample sample(HeapAfterGc heap, long first, EventQueueProbe events) {
		double mb = heap.collect();
		return new Sample((System.nanoTime() - first) / 1e9, DrainCounter.done(), mb, events.queued(), events.dropped());
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(OursBenchmark.App.class, Listening.class).web(WebApplicationType.SERVLET)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"spring.datasource.url=" + Bench.jdbcUrl(), "spring.datasource.username=" + Bench.str("user", "postgres"),
					"spring.datasource.password=" + Bench.str("password", ""), "spring.jpa.hibernate.ddl-auto=none",
					"spring.jpa.open-in-view=false", "spring.flyway.enabled=false", "server.port=" + Bench.required("port"))
			.run();
	}

	private record Sample(double seconds, long rows, double mb, long queued, long dropped) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%.0f:%d:%.1f:%d:%d", this.seconds, this.rows, this.mb, this.queued,
					this.dropped);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listening {

		@Bean
		CountingListener countingListener() {
			return new CountingListener();
		}

	}

	/**
	 * A listener as an application would have one: it does almost nothing, but its presence makes the
	 * event thread read every started and finished execution.
	 */
	static class CountingListener implements TaskExecutionListener {

		static final AtomicLong starts = new AtomicLong();

		static final AtomicLong completes = new AtomicLong();

		@Override
		public void onStart(Execution execution) {
			starts.incrementAndGet();
		}

		@Override
		public void onComplete(Execution execution) {
			completes.incrementAndGet();
		}

	}

	/**
	 * The event publisher's dropped count and queue length, by reflection: {@code droppedCount()} and
	 * {@code queuedCount()} where the library has them, else the length of its field {@code queue} and no
	 * drop count ({@code -1}).
	 */
	private static final class EventQueueProbe {

		private final Object publisher;

		private final @Nullable Method dropped;

		private final @Nullable Method queued;

		private final @Nullable Collection<?> queue;

		EventQueueProbe(ConfigurableApplicationContext context) throws Exception {
			Class<?> type = Class.forName("dev.backgroundtasks.event.ExecutionEventPublisher");
			this.publisher = context.getBean(type);
			this.dropped = method(type, "droppedCount");
			this.queued = method(type, "queuedCount");
			if (this.queued == null) {
				Field field = type.getDeclaredField("queue");
				field.setAccessible(true);
				this.queue = (Collection<?>) field.get(this.publisher);
			}
			else {
				this.queue = null;
			}
		}

		private static @Nullable Method method(Class<?> type, String name) {
			try {
				return type.getMethod(name);
			}
			catch (NoSuchMethodException ex) {
				return null;
			}
		}

		long dropped() {
			return (this.dropped != null) ? ((Number) invoke(this.dropped)).longValue() : -1;
		}

		long queued() {
			return (this.queued != null) ? ((Number) invoke(this.queued)).longValue() : this.queue.size();
		}

		private Object invoke(Method method) {
			try {
				return method.invoke(this.publisher);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
