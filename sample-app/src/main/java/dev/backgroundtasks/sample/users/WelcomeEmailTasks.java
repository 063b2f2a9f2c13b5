package dev.backgroundtasks.sample.users;

import java.time.Clock;
import java.time.Instant;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskParam;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sends welcome e-mails. The bean is transactional, so the task runs through the Spring proxy, inside a
 * read-only transaction, like any other service method.
 */
@Service
@Transactional(readOnly = true)
public class WelcomeEmailTasks {

	private static final Log logger = LogFactory.getLog(WelcomeEmailTasks.class);

	private final AppUserRepository users;

	private final Clock clock = Clock.systemUTC();

	public WelcomeEmailTasks(AppUserRepository users) {
		this.users = users;
	}

	@BackgroundTask(name = "welcome-email", description = "Sends the welcome e-mail to a user",
			tags = { "email", "users" }, timeout = "30s",
			retry = @Retry(maxAttempts = 5, minDelay = "5s", maxDelay = "5m", noRetryFor = UserNotFoundException.class))
	public WelcomeEmail sendWelcomeEmail(@TaskParam(description = "The id of the user in app_user") long userId) {
		AppUser user = this.users.findById(userId).orElseThrow(() -> new UserNotFoundException(userId));
		WelcomeEmail email = new WelcomeEmail(user.getEmail(), "Welcome, " + user.getDisplayName() + "!",
				Instant.now(this.clock));
		// A real application would hand the message to a mail server here.
		logger.info("Sent welcome e-mail to " + email.to() + " with subject '" + email.subject() + "'");
		return email;
	}

}
