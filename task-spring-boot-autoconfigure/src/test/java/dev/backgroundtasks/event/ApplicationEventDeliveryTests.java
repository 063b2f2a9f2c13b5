package dev.backgroundtasks.event;

import java.util.ArrayList;
import java.util.List;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionIds;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ApplicationEventDelivery}: the listeners a context's own {@code publishEvent} would
 * reach get the event, the parent context's included, and listeners of other events do not.
 */
class ApplicationEventDeliveryTests {

	private final ExecutionStatusEvent status = new ExecutionStatusEvent(ExecutionIds.next(), "task",
			TaskStatus.RUNNING, 1, "node");

	private final ExecutionProgressEvent progress = new ExecutionProgressEvent(ExecutionIds.next(), "task", 1,
			ExecutionProgress.of(1, 2, null));

	@Test
	void reachesTheListenersOfTheContextAndOfItsParent() {
		try (AnnotationConfigApplicationContext parent = new AnnotationConfigApplicationContext(Listeners.class);
				AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
			child.setParent(parent);
			child.register(Listeners.class, PayloadListener.class);
			child.refresh();
			ApplicationEventDelivery delivery = new ApplicationEventDelivery(child);
			delivery.publish(this.status);
			delivery.publish(this.progress);
			delivery.publish(this.status);
			assertThat(child.getBean(Listeners.class).statuses).containsExactly(this.status, this.status);
			assertThat(child.getBean(Listeners.class).progress).containsExactly(this.progress);
			assertThat(child.getBean(PayloadListener.class).payloads).containsExactly(this.status, this.status);
			assertThat(parent.getBean(Listeners.class).statuses).containsExactly(this.status, this.status);
			assertThat(parent.getBean(Listeners.class).progress).containsExactly(this.progress);
		}
	}

	@Test
	void publishesThroughAnyOtherPublisherAsItIs() {
		List<Object> published = new ArrayList<>();
		new ApplicationEventDelivery(published::add).publish(this.status);
		assertThat(published).containsExactly(this.status);
	}

	static class Listeners {

		final List<ExecutionStatusEvent> statuses = new ArrayList<>();

		final List<ExecutionProgressEvent> progress = new ArrayList<>();

		@EventListener
		void on(ExecutionStatusEvent event) {
			this.statuses.add(event);
		}

		@EventListener
		void on(ExecutionProgressEvent event) {
			this.progress.add(event);
		}

	}

	static class PayloadListener implements ApplicationListener<PayloadApplicationEvent<ExecutionStatusEvent>> {

		final List<ExecutionStatusEvent> payloads = new ArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<ExecutionStatusEvent> event) {
			this.payloads.add(event.getPayload());
		}

	}

}
