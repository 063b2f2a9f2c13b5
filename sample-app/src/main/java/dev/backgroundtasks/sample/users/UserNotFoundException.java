package dev.backgroundtasks.sample.users;

/**
 * Thrown when a task is given the id of a user that does not exist.
 */
public class UserNotFoundException extends RuntimeException {

	public UserNotFoundException(long userId) {
		super("No user with id " + userId + " exists in table app_user");
	}

}
