package dev.backgroundtasks.execution;

import java.util.UUID;

import dev.backgroundtasks.it.MariaDbTestDatabase;
import dev.backgroundtasks.it.PostgresTestDatabase;

/**
 * The databases the store contract tests run against, listed once: every contract test class runs once
 * per constant (see {@link AbstractStoreContractTests}). Supporting another database means adding its
 * dialect and migrations, and a constant here.
 */
enum StoreDatabase {

	/** H2 in memory, a new database for each contract class. */
	H2 {

		@Override
		String freshUrl() {
			return "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		}

	},

	/** PostgreSQL, a new schema for each contract class; see {@link PostgresTestDatabase}. */
	POSTGRESQL {

		@Override
		void assumeAvailable() {
			PostgresTestDatabase.assumeAvailable();
		}

		@Override
		String freshUrl() {
			return PostgresTestDatabase.freshSchemaUrl();
		}

	},

	/** MariaDB, a new database for each contract class; see {@link MariaDbTestDatabase}. */
	MARIADB {

		@Override
		void assumeAvailable() {
			MariaDbTestDatabase.assumeAvailable();
		}

		@Override
		String freshUrl() {
			return MariaDbTestDatabase.freshDatabaseUrl();
		}

	};

	/**
	 * Skips the calling test when this database is not available here, or fails it when it is required.
	 */
	void assumeAvailable() {
	}

	/**
	 * @return the JDBC URL of a new, empty database (or schema) of this kind
	 */
	abstract String freshUrl();

}
