/**
 * The commands behind both the REST API and {@code TaskClient}: validate and store a submission,
 * cancel, retry. {@link dev.backgroundtasks.command.ExecutionDispatcher} says what happens right after
 * a submission is stored; the worker implements it, so commands never depend on the worker.
 */
@NullMarked
package dev.backgroundtasks.command;

import org.jspecify.annotations.NullMarked;
