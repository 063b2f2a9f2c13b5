/**
 * REST endpoints for tasks and executions, with RFC 9457 problem responses.
 */
@NullMarked
package dev.backgroundtasks.web;

import org.jspecify.annotations.NullMarked;
