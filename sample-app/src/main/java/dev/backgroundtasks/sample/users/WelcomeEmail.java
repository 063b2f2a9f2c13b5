package dev.backgroundtasks.sample.users;

import java.time.Instant;

/**
 * The welcome e-mail that was sent, stored as the result of the {@code welcome-email} task.
 *
 * @param to the recipient's address
 * @param subject the subject line
 * @param sentAt when it was sent
 */
public record WelcomeEmail(String to, String subject, Instant sentAt) {
}
