package dev.backgroundtasks.execution;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A node as it last reported itself in {@code bgt_node}.
 *
 * @param name the node name
 * @param startedAt when it first heartbeated since it started (database time)
 * @param lastHeartbeat when it last heartbeated (database time)
 * @param running how many executions it was running then
 * @param live whether its last heartbeat is recent enough to count it as alive
 * @param threads how many worker threads it runs (0 when it runs no worker)
 * @param roles what it does, comma-separated ({@code worker}, {@code scheduler}, {@code api},
 * {@code dashboard}), or {@code null} when it did not say (a node of an older version)
 */
public record NodeInfo(String name, Instant startedAt, Instant lastHeartbeat, int running, boolean live, int threads,
		@Nullable String roles) {

}
