/**
 * What only PostgreSQL offers the cluster: {@code LISTEN/NOTIFY}. Every bean of this package exists
 * only when the application's database is PostgreSQL.
 * <p>
 * Wake-ups: a submission commits; its transaction's {@code afterCommit} wakes the local worker at
 * once and asks the {@link dev.backgroundtasks.postgres.PostgresReadyNotifier} to send one
 * {@code pg_notify} on {@code bgt_ready:<schema>} (coalesced per burst, and not at all while
 * {@code bgt_node} lists no other node). Every other node's
 * {@link dev.backgroundtasks.postgres.PostgresWakeUpListener} holds a connection of its own (outside
 * the pool) that listens on that channel and wakes its worker, which claims with {@code FOR UPDATE
 * SKIP LOCKED}. Each listening connection is checked with a round trip every check interval and opened
 * again when it fails (also when its network path died silently); the worker is then woken to look for
 * what it missed. Polling remains the fallback: a lost notification delays work by one poll interval
 * at most.
 * <p>
 * Event stream: a node with stream subscribers announces its interest on {@code bgt_stream:<schema>}
 * ({@link dev.backgroundtasks.postgres.PostgresStreamInterest}); while any node is interested, every
 * node sends its execution events with {@code pg_notify} ({@link
 * dev.backgroundtasks.postgres.PostgresEventNotifier}), and each streaming node's
 * {@link dev.backgroundtasks.postgres.PostgresEventRelay} hears them on its listening connection and
 * feeds its own subscribers, so a client sees every node's executions whichever node it is connected
 * to. Nodes without a listener of their own hear the announcements through a
 * {@link dev.backgroundtasks.postgres.PostgresStreamInterestListener}.
 */
@NullMarked
package dev.backgroundtasks.postgres;

import org.jspecify.annotations.NullMarked;
