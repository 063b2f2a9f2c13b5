/**
 * The application's own users (a JPA entity with its own Flyway migration) and a task that e-mails them.
 */
@NullMarked
package dev.backgroundtasks.sample.users;

import org.jspecify.annotations.NullMarked;
