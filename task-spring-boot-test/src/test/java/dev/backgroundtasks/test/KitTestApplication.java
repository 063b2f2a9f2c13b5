package dev.backgroundtasks.test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskParam;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the test kit's own tests run: a few tasks, each showing one thing.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class KitTestApplication {

	@Bean
	KitTasks kitTasks() {
		return new KitTasks();
	}

	static class KitTasks {

		private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

		volatile CountDownLatch gate = new CountDownLatch(0);

		@BackgroundTask(name = "kit-add")
		int add(@TaskParam int a, @TaskParam int b) {
			return a + b;
		}

		@BackgroundTask(name = "kit-flaky", retry = @Retry(maxAttempts = 3, minDelay = "10m", maxDelay = "1h"))
		String flaky(@TaskParam String key) {
			if (this.failedOnce.add(key)) {
				throw new IllegalStateException("The first attempt for " + key + " fails");
			}
			return "done " + key;
		}

		@BackgroundTask(name = "kit-twice", retry = @Retry(maxAttempts = 3, minDelay = "10m", maxDelay = "1h"))
		String failsTwice(@TaskParam String key) {
			if (this.failedOnce.add(key) || this.failedOnce.add(key + "/second")) {
				throw new IllegalStateException("An early attempt for " + key + " fails");
			}
			return "done " + key;
		}

		@BackgroundTask(name = "kit-broken", retry = @Retry(maxAttempts = 1))
		void broken() {
			throw new IllegalArgumentException("The order is broken");
		}

		@BackgroundTask(name = "kit-gated")
		void gated() throws InterruptedException {
			this.gate.await(10, TimeUnit.SECONDS);
		}

		@BackgroundTask(name = "kit-nightly", cron = "30 2 * * *", zone = "Europe/Berlin")
		void nightly() {
		}

		@BackgroundTask(name = "kit-new-year", cron = "0 0 1 1 *", zone = "UTC")
		void newYear() {
		}

	}

	static Duration shortWhile() {
		return Duration.ofMillis(300);
	}

}
