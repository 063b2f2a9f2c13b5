package dev.backgroundtasks.event;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * Publishes execution events as Spring application events, to the same listeners as
 * {@link ApplicationEventPublisher#publishEvent(Object)} and then to the parent context's, but with the
 * event type resolved once per event class instead of once per event. A context resolves the generic
 * type of every payload event it wraps and compares it with its listener cache's keys: on a busy node,
 * with two events per execution, that cost more than the rest of an execution's bookkeeping.
 */
final class ApplicationEventDelivery {

	private final ApplicationEventPublisher publisher;

	private final @Nullable ApplicationEventMulticaster multicaster;

	private final @Nullable ApplicationContext parent;

	/** The payload type and the event type of each event class, resolved once. */
	private final Map<Class<?>, ResolvableType[]> types = new ConcurrentHashMap<>();

	ApplicationEventDelivery(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
		ConfigurableApplicationContext context = (publisher instanceof ConfigurableApplicationContext configurable
				&& configurable.containsBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME))
						? configurable : null;
		this.multicaster = (context != null) ? context.getBean(
				AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME, ApplicationEventMulticaster.class)
				: null;
		this.parent = (context != null) ? context.getParent() : null;
	}

	void publish(ExecutionEvent event) {
		ApplicationEventMulticaster multicaster = this.multicaster;
		if (multicaster == null) {
			this.publisher.publishEvent(event);
			return;
		}
		ResolvableType[] types = this.types.computeIfAbsent(event.getClass(), (type) -> {
			ResolvableType payload = ResolvableType.forClass(type);
			return new ResolvableType[] { payload,
					ResolvableType.forClassWithGenerics(PayloadApplicationEvent.class, payload) };
		});
		multicaster.multicastEvent(new PayloadApplicationEvent<>(this.publisher, event, types[0]), types[1]);
		if (this.parent != null) {
			this.parent.publishEvent(event);
		}
	}

}
