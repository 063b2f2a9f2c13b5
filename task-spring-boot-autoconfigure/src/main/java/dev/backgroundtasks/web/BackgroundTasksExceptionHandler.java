package dev.backgroundtasks.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.ExecutionConflictException;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.InvalidBatchException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.QueueFullException;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.UnknownDependencyException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the REST API into an RFC 9457 problem ({@code application/problem+json}) with a
 * message a user can act on, Spring MVC's own exceptions included. Applies to this API's controllers
 * only, and before the application's own advice, so a catch-all {@code @RestControllerAdvice} of the
 * application leaves these answers as they are.
 */
@RestControllerAdvice(assignableTypes = { TaskQueryController.class, TaskCommandController.class,
		TaskSwitchController.class, ExecutionStreamController.class, BatchQueryController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BackgroundTasksExceptionHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail unknownTask(UnknownTaskException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown task", ex.getMessage());
		problem.setProperty("task", ex.getTask());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail taskDisabled(TaskDisabledException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Task disabled", ex.getMessage());
		problem.setProperty("task", ex.getTask());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail remoteSubmissionRefused(RemoteSubmissionRefusedException ex) {
		ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "Not submittable over REST", ex.getMessage());
		problem.setProperty("task", ex.getTask());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail executionNotFound(ExecutionNotFoundException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown execution", ex.getMessage());
		problem.setProperty("executionId", ex.getId());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail invalidParams(InvalidTaskParametersException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid task parameters", ex.getMessage());
		problem.setProperty("task", ex.getTask());
		List<Map<String, String>> errors = ex.getProblems()
			.stream()
			.map((p) -> Map.of("parameter", p.parameter(), "problem", p.problem()))
			.toList();
		problem.setProperty("errors", errors);
		return problem;
	}

	@ExceptionHandler
	ProblemDetail invalidBatch(InvalidBatchException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid batch", ex.getMessage());
		if (ex.getIndex() != null) {
			problem.setProperty("index", ex.getIndex());
			problem.setProperty("member", "executions[" + ex.getIndex() + "]");
		}
		else if (ex.isCallback()) {
			problem.setProperty("member", "onComplete");
		}
		if (ex.getTask() != null) {
			problem.setProperty("task", ex.getTask());
		}
		if (!ex.getProblems().isEmpty()) {
			problem.setProperty("errors", ex.getProblems()
				.stream()
				.map((p) -> Map.of("parameter", p.parameter(), "problem", p.problem()))
				.toList());
		}
		return problem;
	}

	@ExceptionHandler
	ProblemDetail unknownBatch(BatchQueryController.UnknownBatchException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Unknown batch", ex.getMessage());
		problem.setProperty("batchId", ex.getId());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail conflict(ExecutionConflictException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Execution state conflict", ex.getMessage());
		problem.setProperty("executionId", ex.getId());
		problem.setProperty("executionStatus", ex.getStatus());
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> queueFull(QueueFullException ex) {
		ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "Queue full", ex.getMessage());
		problem.setProperty("capacity", ex.getCapacity());
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, ex.getRetryAfter().toSeconds())))
			.body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> connectionLimit(ConnectionLimitException ex) {
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many connections", ex.getMessage());
		problem.setProperty("limit", ex.getProperty());
		problem.setProperty("max", ex.getMax());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.getRetryAfter().toSeconds()))
			.body(problem);
	}

	@ExceptionHandler
	ProblemDetail invalidRequest(InvalidRequestException ex) {
		return problem(ex.getStatus(), (ex.getStatus() == HttpStatus.BAD_REQUEST) ? "Invalid request"
				: ex.getStatus().getReasonPhrase(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail unknownDependency(UnknownDependencyException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage());
		problem.setProperty("after", ex.getIds().stream().map(UUID::toString).toList());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail typeMismatch(MethodArgumentTypeMismatchException ex) {
		String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "another type";
		return problem(HttpStatus.BAD_REQUEST, "Invalid request",
				"Parameter '" + ex.getName() + "' must be " + expected + ", got '" + ex.getValue() + "'");
	}

	private static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
