package dev.backgroundtasks.execution;

import java.time.Instant;

/**
 * A node as it last reported itself in {@code bgt_node}.
 *
 * @param name the node name
 * @param startedAt when it first heartbeated since it started (database time)
 * @param lastHeartbeat when it last heartbeated (database time)
 * @param running how many executions it was running then
 * @param live whether its last heartbeat is recent enough to count it as alive
 */
public record NodeInfo(String name, Instant startedAt, Instant lastHeartbeat, int running, boolean live) {

}
