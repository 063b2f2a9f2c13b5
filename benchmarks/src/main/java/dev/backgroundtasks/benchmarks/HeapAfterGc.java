package dev.backgroundtasks.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The live heap of this JVM: used heap right after a full collection requested with {@code System.gc()},
 * read from that collection's own notification ({@code GcInfo.getMemoryUsageAfterGc()} summed over the
 * heap pools), so nothing the application allocates after the collection is counted. With G1 an explicit
 * collection is a full, stop-the-world one unless {@code -XX:+ExplicitGCInvokesConcurrent} or
 * {@code -XX:+DisableExplicitGC} is set; the JVM options of the suite set neither.
 */
final class HeapAfterGc {

	private static final String CAUSE = "System.gc()";

	private static final long MB = 1024 * 1024;

	private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.map(MemoryPoolMXBean::getName)
		.collect(Collectors.toUnmodifiableSet());

	private volatile CompletableFuture<Long> pending = new CompletableFuture<>();

	HeapAfterGc() {
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener((notification, handback) -> collected(notification), null, null);
			}
		}
	}

	/**
	 * Collects and returns the heap in use after the collection.
	 * @return megabytes (2^20 bytes)
	 */
	synchronized double collect() {
		CompletableFuture<Long> result = new CompletableFuture<>();
		this.pending = result;
		System.gc();
		try {
			return result.get(30, TimeUnit.SECONDS) / (double) MB;
		}
		catch (TimeoutException ex) {
			// No notification (another collector or explicit GC disabled): the best a plain read gives.
			return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (double) MB;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void collected(Notification notification) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		if (!CAUSE.equals(info.getGcCause())) {
			return;
		}
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (this.heapPools.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		this.pending.complete(used);
	}

}
