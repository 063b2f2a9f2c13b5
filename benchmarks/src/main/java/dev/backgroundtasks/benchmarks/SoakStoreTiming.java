package dev.backgroundtasks.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.backgroundtasks.execution.ExecutionStore;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Times two calls of the application's {@link ExecutionStore} for {@link SoakNode}: every claim of a batch
 * of executions ({@code claim(node, limit, lease, tasks)}) and every retention batch
 * ({@code deleteFinished}: pick, then delete, one transaction). Per window: the claims and their longest,
 * the longest claim that overlapped a retention batch, the retention batches and their longest. The store
 * is wrapped in a JDK proxy of its interfaces; a call through it costs a reflective invocation, nothing more.
 */
final class SoakStoreTiming implements BeanPostProcessor {

	static final AtomicLong claims = new AtomicLong();

	static final AtomicLong claimMaxNanos = new AtomicLong();

	static final AtomicLong claimDuringRetentionMaxNanos = new AtomicLong();

	static final AtomicLong retentionBatches = new AtomicLong();

	static final AtomicLong retentionMaxNanos = new AtomicLong();

	private static final AtomicInteger retentionRunning = new AtomicInteger();

	private static final AtomicLong retentionStarts = new AtomicLong();

	/** The figures of the window that ends now; the next window starts from zero. */
	static Window take() {
		return new Window(claims.getAndSet(0), claimMaxNanos.getAndSet(0) / 1e6,
				claimDuringRetentionMaxNanos.getAndSet(0) / 1e6, retentionBatches.getAndSet(0),
				retentionMaxNanos.getAndSet(0) / 1e6);
	}

	/**
	 * @param claims claim statements in the window
	 * @param claimMaxMs the longest of them
	 * @param claimDuringRetentionMaxMs the longest that overlapped a retention batch (0: none did)
	 * @param retentionBatches retention batches that ended in the window
	 * @param retentionMaxMs the longest of them
	 */
	record Window(long claims, double claimMaxMs, double claimDuringRetentionMaxMs, long retentionBatches,
			double retentionMaxMs) {

	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof ExecutionStore)) {
			return bean;
		}
		return Proxy.newProxyInstance(bean.getClass().getClassLoader(), ClassUtils.getAllInterfaces(bean),
				(proxy, method, args) -> invoke(bean, method, args));
	}

	private static Object invoke(Object store, Method method, Object[] args) throws Throwable {
		boolean claim = method.getName().equals("claim") && method.getParameterCount() == 4;
		boolean retention = method.getName().equals("deleteFinished");
		if (retention) {
			retentionRunning.incrementAndGet();
			retentionStarts.incrementAndGet();
		}
		boolean overlapped = retentionRunning.get() > 0;
		long startsBefore = retentionStarts.get();
		long start = System.nanoTime();
		try {
			return method.invoke(store, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
		finally {
			long took = System.nanoTime() - start;
			if (claim) {
				claims.incrementAndGet();
				claimMaxNanos.accumulateAndGet(took, Math::max);
				if (overlapped || retentionRunning.get() > 0 || retentionStarts.get() != startsBefore) {
					claimDuringRetentionMaxNanos.accumulateAndGet(took, Math::max);
				}
			}
			if (retention) {
				retentionRunning.decrementAndGet();
				retentionBatches.incrementAndGet();
				retentionMaxNanos.accumulateAndGet(took, Math::max);
			}
		}
	}

}
