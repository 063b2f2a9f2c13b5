package dev.backgroundtasks.web;

import org.springframework.http.HttpStatus;

/**
 * A request the REST API cannot take: malformed JSON, a bad query parameter, a body that is too large.
 */
class InvalidRequestException extends RuntimeException {

	private final HttpStatus status;

	InvalidRequestException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	InvalidRequestException(String message) {
		this(HttpStatus.BAD_REQUEST, message);
	}

	HttpStatus getStatus() {
		return this.status;
	}

}
