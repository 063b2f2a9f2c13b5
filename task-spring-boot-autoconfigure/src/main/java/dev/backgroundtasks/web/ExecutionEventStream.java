package dev.backgroundtasks.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.backgroundtasks.event.SequencedEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The execution events of the cluster as Server-Sent Events, for any number of clients. Keeps the last
 * {@value #REPLAY} events, so a client that reconnects with {@code Last-Event-ID} (any node: event ids
 * are the same on every node) gets what it missed; when that id is no longer known it gets a
 * {@code resync} event and should re-read the state over REST. Each client has its own bounded queue,
 * drained on a small pool: a slow client never holds up the others, and one that falls too far behind
 * is disconnected (and may reconnect). Keep-alive comments let proxies and the server notice dead
 * connections.
 */
public class ExecutionEventStream implements DisposableBean {

	static final int REPLAY = 10_000;

	private static final int MAX_PENDING = 10_000;

	private final ArrayDeque<SequencedEvent> recent = new ArrayDeque<>();

	private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final JsonMapper mapper;

	private final Duration timeout;

	private final ScheduledExecutorService keepAlive;

	private final ThreadPoolExecutor senders;

	private final Runnable beforeSubscribe;

	/**
	 * @param mapper writes event data
	 * @param keepAlive how often to send a keep-alive comment
	 * @param timeout how long one connection lasts before the server ends it (clients reconnect)
	 * @param beforeSubscribe runs before each client is added (tells the cluster that this node streams)
	 */
	public ExecutionEventStream(JsonMapper mapper, Duration keepAlive, Duration timeout, Runnable beforeSubscribe) {
		this.mapper = mapper;
		this.beforeSubscribe = beforeSubscribe;
		this.timeout = timeout;
		this.senders = new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				new CustomizableThreadFactory("bgt-stream-"));
		this.senders.allowCoreThreadTimeOut(true);
		this.keepAlive = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("bgt-stream-keep-alive-"));
		long millis = Math.max(1, keepAlive.toMillis());
		this.keepAlive.scheduleWithFixedDelay(this::keepAlive, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Opens a stream.
	 * @param task only events of this task, or {@code null} for all
	 * @param lastEventId the id of the last event the client received, to resume after it, or {@code null}
	 * @return the emitter
	 */
	public SseEmitter subscribe(@Nullable String task, @Nullable String lastEventId) {
		this.beforeSubscribe.run();
		SseEmitter emitter = new SseEmitter(this.timeout.toMillis());
		Subscriber subscriber = new Subscriber(emitter, task);
		emitter.onCompletion(() -> this.subscribers.remove(subscriber));
		emitter.onTimeout(() -> this.subscribers.remove(subscriber));
		emitter.onError((ex) -> this.subscribers.remove(subscriber));
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
					missed.stream().filter(subscriber::wants).forEach((event) -> subscriber.offer(frame(event)));
				}
			}
			this.subscribers.add(subscriber);
		}
		schedule(subscriber);
		return emitter;
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
				for (Subscriber subscriber : this.subscribers) {
					if (subscriber.wants(event)) {
						frame = (frame != null) ? frame : frame(event);
						subscriber.offer(frame);
					}
				}
			}
		}
		this.subscribers.forEach(this::schedule);
	}

	/**
	 * Forgets the events kept for replay, when they may have gaps: a client resuming after one of them
	 * then gets a {@code resync} event instead of a silently incomplete replay.
	 */
	public synchronized void forgetRecent() {
		this.recent.clear();
	}

	/**
	 * @return how many clients are connected
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

	private void keepAlive() {
		Set<DataWithMediaType> comment = frame(SseEmitter.event().comment("keep-alive"));
		for (Subscriber subscriber : this.subscribers) {
			subscriber.offer(comment);
			schedule(subscriber);
		}
	}

	private void schedule(Subscriber subscriber) {
		if (!subscriber.pending.isEmpty() && subscriber.scheduled.compareAndSet(false, true)) {
			this.senders.execute(() -> drain(subscriber));
		}
	}

	private void drain(Subscriber subscriber) {
		try {
			Set<DataWithMediaType> frame;
			while ((frame = subscriber.pending.poll()) != null) {
				if (subscriber.overflowed) {
					this.subscribers.remove(subscriber);
					subscriber.emitter.complete();
					return;
				}
				subscriber.emitter.send(frame);
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away: forget it; the container completes the request.
			this.subscribers.remove(subscriber);
			subscriber.pending.clear();
			return;
		}
		finally {
			subscriber.scheduled.set(false);
		}
		schedule(subscriber);
	}

	@Override
	public void destroy() {
		this.keepAlive.shutdown();
		this.subscribers.forEach((subscriber) -> subscriber.emitter.complete());
		this.subscribers.clear();
		this.senders.shutdown();
	}

	private static final class Subscriber {

		final SseEmitter emitter;

		final @Nullable String task;

		final BlockingQueue<Set<DataWithMediaType>> pending = new ArrayBlockingQueue<>(MAX_PENDING);

		final AtomicBoolean scheduled = new AtomicBoolean();

		volatile boolean overflowed;

		Subscriber(SseEmitter emitter, @Nullable String task) {
			this.emitter = emitter;
			this.task = task;
		}

		boolean wants(SequencedEvent event) {
			return this.task == null || this.task.equals(event.event().task());
		}

		void offer(Set<DataWithMediaType> frame) {
			if (!this.pending.offer(frame)) {
				// Too far behind: end the connection; the client resumes with Last-Event-ID.
				this.overflowed = true;
			}
		}

	}

}
