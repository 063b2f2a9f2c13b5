package dev.backgroundtasks.web;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.event.SequencedEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The execution events of the cluster as Server-Sent Events, for up to a configured number of clients
 * on this node. Keeps the last {@value #REPLAY} events, so a client that reconnects with
 * {@code Last-Event-ID} (any node: event ids are the same on every node) gets what it missed; when that
 * id is no longer known it gets a {@code resync} event and should re-read the state over REST. When a
 * node dropped events because its event queue was full, every client gets a {@code dropped} event
 * ({@code {"count": n, "reason": ...}}, no id) and should re-read likewise; the events kept for replay are
 * forgotten then, so a client resuming from before the gap gets {@code resync}.
 * <p>
 * Publishing never blocks: each client has its own queue of frames, which grows with use, and its own
 * writing task while frames wait, on a pool that grows with the clients. A client that does not read
 * blocks only its own writer; once {@value #MAX_PENDING} frames wait for it, it is dropped (and may
 * reconnect and resume). Keep-alive comments let proxies and the server notice dead connections.
 */
public class ExecutionEventStream implements DisposableBean, SmartLifecycle {

	static final int REPLAY = 10_000;

	static final int MAX_PENDING = 10_000;

	/** How often summary clients hear what changed. */
	static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(1);

	private static final String MAX_SUBSCRIBERS_PROPERTY = "background-tasks.web.max-stream-subscribers";

	private final ArrayDeque<SequencedEvent> recent = new ArrayDeque<>();

	private final Set<StreamSubscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final JsonMapper mapper;

	private final Duration timeout;

	private final ConnectionLimit limit;

	private final ScheduledExecutorService keepAlive;

	private final ThreadPoolExecutor writers;

	private final Runnable beforeSubscribe;

	private volatile boolean running;

	/**
	 * @param mapper writes event data
	 * @param keepAlive how often to send a keep-alive comment
	 * @param timeout how long one connection lasts before the server ends it (clients reconnect)
	 * @param maxSubscribers most clients at once; more are refused ({@code 503})
	 * @param beforeSubscribe runs before each client is added (tells the cluster that this node streams)
	 */
	public ExecutionEventStream(JsonMapper mapper, Duration keepAlive, Duration timeout, int maxSubscribers,
			Runnable beforeSubscribe) {
		this.mapper = mapper;
		this.beforeSubscribe = beforeSubscribe;
		this.timeout = timeout;
		this.limit = new ConnectionLimit("event stream connections", maxSubscribers, MAX_SUBSCRIBERS_PROPERTY);
		// No queue: a write that blocks holds its own thread, never one another client waits for. At most
		// one writer per open connection, so the limit bounds the threads.
		this.writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				daemonThreads("bgt-stream-"));
		this.keepAlive = Executors.newSingleThreadScheduledExecutor(daemonThreads("bgt-stream-keep-alive-"));
		long millis = Math.max(1, keepAlive.toMillis());
		this.keepAlive.scheduleWithFixedDelay(this::keepAlive, millis, millis, TimeUnit.MILLISECONDS);
		this.keepAlive.scheduleWithFixedDelay(this::sendSummaries, SUMMARY_INTERVAL.toMillis(),
				SUMMARY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static ThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * Opens a stream.
	 * @param task only events of this task, or {@code null} for all
	 * @param lastEventId the id of the last event the client received, to resume after it, or {@code null}
	 * @return the emitter
	 * @throws ConnectionLimitException when this node has as many clients as it may
	 */
	public SseEmitter subscribe(@Nullable String task, @Nullable String lastEventId) {
		return subscribe(new StreamFilter(task, null, false), lastEventId);
	}

	/**
	 * Opens a stream.
	 * @param filter which events, and whether summed up
	 * @param lastEventId the id of the last event the client received, to resume after it, or {@code null}
	 * @return the emitter
	 * @throws ConnectionLimitException when this node has as many clients as it may
	 */
	SseEmitter subscribe(StreamFilter filter, @Nullable String lastEventId) {
		ConnectionLimit.Permit permit = this.limit.acquire();
		SseEmitter emitter = new SseEmitter(this.timeout.toMillis());
		StreamSubscriber subscriber = new StreamSubscriber(emitter, filter, MAX_PENDING, this.writers);
		// The permit is held until the container ends the response, when no writer can hold a thread for it.
		emitter.onCompletion(() -> {
			ended(subscriber);
			permit.release();
		});
		emitter.onError((ex) -> {
			ended(subscriber);
			permit.release();
		});
		emitter.onTimeout(() -> {
			this.subscribers.remove(subscriber);
			subscriber.timedOut();
		});
		try {
			this.beforeSubscribe.run();
		}
		catch (RuntimeException ex) {
			permit.release();
			throw ex;
		}
		synchronized (this) {
			subscriber.offer(frame(SseEmitter.event().reconnectTime(1000).comment("connected")));
			if (lastEventId != null && !lastEventId.isBlank()) {
				List<SequencedEvent> missed = after(lastEventId.trim());
				if (missed == null) {
					subscriber.offer(frame(SseEmitter.event()
						.name("resync")
						.data("{\"reason\":\"Events after " + lastEventId.replaceAll("[^A-Za-z0-9-]", "")
								+ " are no longer available; read the current state over REST\"}")));
				}
				else {
					missed.stream().filter(subscriber::wants).forEach((event) -> deliver(subscriber, event));
				}
			}
			this.subscribers.add(subscriber);
		}
		subscriber.flush();
		return emitter;
	}

	private void ended(StreamSubscriber subscriber) {
		this.subscribers.remove(subscriber);
		subscriber.ended();
	}

	/** Holds the lock. */
	private @Nullable List<SequencedEvent> after(String id) {
		List<SequencedEvent> missed = new ArrayList<>();
		Iterator<SequencedEvent> newestFirst = this.recent.descendingIterator();
		while (newestFirst.hasNext()) {
			SequencedEvent event = newestFirst.next();
			if (event.id().equals(id)) {
				Collections.reverse(missed);
				return missed;
			}
			missed.add(event);
		}
		return null;
	}

	/**
	 * Sends events of the cluster to the clients whose filter they match, and keeps them for replay.
	 * Never blocks on a client.
	 * @param events the events, in order
	 */
	public void send(List<SequencedEvent> events) {
		synchronized (this) {
			for (SequencedEvent event : events) {
				this.recent.addLast(event);
				if (this.recent.size() > REPLAY) {
					this.recent.removeFirst();
				}
				Set<DataWithMediaType> frame = null;
				for (StreamSubscriber subscriber : this.subscribers) {
					if (subscriber.wants(event)) {
						if (subscriber.isSummary()) {
							subscriber.summary().add(event);
							continue;
						}
						frame = (frame != null) ? frame : frame(event);
						if (!subscriber.offer(frame)) {
							this.subscribers.remove(subscriber);
						}
					}
				}
			}
		}
		this.subscribers.forEach(StreamSubscriber::flush);
	}

	/**
	 * Tells every client that events were dropped, so that it re-reads the state over REST, and forgets
	 * the events kept for replay (a replay across the gap would be silently incomplete). Never blocks on
	 * a client.
	 * @param count how many events a node dropped
	 */
	public void dropped(long count) {
		Set<DataWithMediaType> frame = frame(SseEmitter.event()
			.name("dropped")
			.data("{\"count\":" + count + ",\"reason\":\"" + count + " events were not delivered: a node's event "
					+ "queue was full (background-tasks.events.queue-capacity); read the current state over REST\"}",
					MediaType.APPLICATION_JSON));
		synchronized (this) {
			this.recent.clear();
			for (StreamSubscriber subscriber : this.subscribers) {
				if (!subscriber.offer(frame)) {
					this.subscribers.remove(subscriber);
				}
			}
		}
		this.subscribers.forEach(StreamSubscriber::flush);
	}

	/**
	 * @return a sink that passes events and drop notices to this stream. (The stream is no sink itself:
	 * on PostgreSQL it hears every node through the cluster relay, and a sink bean would add this node's
	 * events a second time.)
	 */
	public ExecutionEventSink sink() {
		return new ExecutionEventSink() {

			@Override
			public void accept(List<SequencedEvent> events) {
				send(events);
			}

			@Override
			public void dropped(long count) {
				ExecutionEventStream.this.dropped(count);
			}

			@Override
			public String toString() {
				return "the event stream";
			}

		};
	}

	/**
	 * Forgets the events kept for replay, when they may have gaps: a client resuming after one of them
	 * then gets a {@code resync} event instead of a silently incomplete replay.
	 */
	public synchronized void forgetRecent() {
		this.recent.clear();
	}

	/**
	 * @return how many clients receive events
	 */
	public int subscriberCount() {
		return this.subscribers.size();
	}

	private Set<DataWithMediaType> frame(SequencedEvent sequenced) {
		return frame(SseEmitter.event()
			.id(sequenced.id())
			.name(sequenced.event().kind())
			.data(this.mapper.writeValueAsString(sequenced.event()), MediaType.APPLICATION_JSON));
	}

	private static Set<DataWithMediaType> frame(SseEmitter.SseEventBuilder builder) {
		return builder.build();
	}

	private void deliver(StreamSubscriber subscriber, SequencedEvent event) {
		if (subscriber.isSummary()) {
			subscriber.summary().add(event);
		}
		else {
			subscriber.offer(frame(event));
		}
	}

	/** Sends each summary client what changed since its last summary, if anything did. */
	private void sendSummaries() {
		for (StreamSubscriber subscriber : this.subscribers) {
			ChangeSummary.Taken taken = subscriber.isSummary() ? subscriber.summary().take() : null;
			if (taken != null) {
				if (!subscriber.offer(frame(SseEmitter.event()
					.id(taken.id())
					.name("changes")
					.data(this.mapper.writeValueAsString(taken.data()), MediaType.APPLICATION_JSON)))) {
					this.subscribers.remove(subscriber);
				}
				subscriber.flush();
			}
		}
	}

	private void keepAlive() {
		Set<DataWithMediaType> comment = frame(SseEmitter.event().comment("keep-alive"));
		for (StreamSubscriber subscriber : this.subscribers) {
			// A client with frames waiting gets them instead.
			if (subscriber.isIdle()) {
				subscriber.offer(comment);
				subscriber.flush();
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Ends every open stream as the application stops, before the web server's graceful shutdown
	 * ({@link SmartLifecycle#DEFAULT_PHASE} stops first), which would otherwise wait its whole timeout for
	 * these never-ending responses. Clients reconnect, to another node behind a load balancer, and resume
	 * from their last event id.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.subscribers.forEach(StreamSubscriber::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void destroy() {
		this.keepAlive.shutdown();
		this.subscribers.forEach(StreamSubscriber::close);
		this.subscribers.clear();
		this.writers.shutdown();
	}

}
