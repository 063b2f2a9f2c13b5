package dev.backgroundtasks.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application's database is PostgreSQL, as configuration tells before any bean
 * exists: {@code background-tasks.database.platform}, else the JDBC URL of Spring Boot's data source.
 * At start-up the database kind read from the data source itself is checked against it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnPostgresDatabaseCondition.class)
@interface ConditionalOnPostgresDatabase {

}
