package dev.backgroundtasks.it.app;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A catch-all exception handler, as many applications have, with an endpoint of the application that
 * fails: it answers the application's own errors, and leaves the starter's answers as they are.
 */
@RestControllerAdvice
public class CatchAllExceptionHandler {

	@ExceptionHandler
	ResponseEntity<Map<String, String>> anything(Exception ex) {
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(Map.of("handledBy", "application", "error", ex.getClass().getName()));
	}

	/**
	 * An endpoint of the application.
	 */
	@RestController
	static class FailingController {

		@GetMapping("/app/fail")
		String fail() {
			throw new IllegalStateException("failed on purpose");
		}

	}

}
