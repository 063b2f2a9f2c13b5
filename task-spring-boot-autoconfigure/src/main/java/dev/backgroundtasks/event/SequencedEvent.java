package dev.backgroundtasks.event;

/**
 * An event with the id it carries across the cluster and in the event stream: the originating node's
 * token and a sequence number, unique across nodes and restarts.
 *
 * @param id the event id
 * @param event the event
 */
public record SequencedEvent(String id, ExecutionEvent event) {
}
