package dev.backgroundtasks.execution;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Tells Spring Boot that {@link ExecutionSchemaInitializer} initializes the database. Boot then runs it
 * after the initializers ordered before it (the application's Flyway, whose detectors are ordered 0 and
 * 1) and before every bean that depends on an initialized database, such as the
 * {@code EntityManagerFactory} and {@code JdbcTemplate}.
 */
public class ExecutionSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(ExecutionSchemaInitializer.class);
	}

	@Override
	public int getOrder() {
		return 10;
	}

}
