package dev.backgroundtasks.execution;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;

/**
 * Runs the starter's own Flyway migrations, with their own history table, so they never clash with the
 * application's migrations. Spring Boot orders it after the application's Flyway (see
 * {@link ExecutionSchemaInitializerDetector}) and before the {@code EntityManagerFactory}, so
 * {@code ddl-auto=validate} finds the tables. The baseline below version 1 lets it migrate a schema
 * that already holds the application's tables.
 */
public class ExecutionSchemaInitializer implements InitializingBean {

	/**
	 * The starter's Flyway history table.
	 */
	public static final String HISTORY_TABLE = "bgt_schema_history";

	private final DataSource dataSource;

	private final DatabaseKind database;

	/**
	 * @param dataSource the application's data source
	 * @param database the database it points to
	 */
	public ExecutionSchemaInitializer(DataSource dataSource, DatabaseKind database) {
		this.dataSource = dataSource;
		this.database = database;
	}

	@Override
	public void afterPropertiesSet() {
		Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.locations(this.database.migrationLocation())
			.table(HISTORY_TABLE)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("before background tasks")
			.load()
			.migrate();
	}

}
