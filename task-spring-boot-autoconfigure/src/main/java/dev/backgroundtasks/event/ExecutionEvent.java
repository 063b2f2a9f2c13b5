package dev.backgroundtasks.event;

import java.util.UUID;

/**
 * Something that happened to an execution, published as a Spring application event on the node where
 * it happened, after the change was committed, and streamed to every node's event stream.
 */
public sealed interface ExecutionEvent permits ExecutionStatusEvent, ExecutionProgressEvent, ExecutionCustomEvent {

	/**
	 * @return the execution id
	 */
	UUID executionId();

	/**
	 * @return the task name
	 */
	String task();

	/**
	 * @return the kind of event, as named in the event stream: {@code status}, {@code progress} or
	 * {@code custom}
	 */
	String kind();

}
