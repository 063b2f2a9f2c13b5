package dev.backgroundtasks.execution;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.Locale;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The databases the store supports, each with its migrations.
 */
public enum DatabaseKind {

	/** H2 2.x, the embedded default. */
	H2("h2"),

	/** PostgreSQL 13 and later. */
	POSTGRESQL("postgresql");

	private final String migrations;

	DatabaseKind(String migrations) {
		this.migrations = migrations;
	}

	/**
	 * @return the Flyway location of this database's migrations
	 */
	public String migrationLocation() {
		return "classpath:dev/backgroundtasks/db/migration/" + this.migrations;
	}

	/**
	 * @param name a database's name as in configuration ({@code h2}, {@code postgresql})
	 * @return the kind
	 * @throws IllegalArgumentException when no supported database has that name
	 */
	public static DatabaseKind named(String name) {
		for (DatabaseKind kind : values()) {
			if (kind.migrations.equalsIgnoreCase(name)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("Unknown database platform '" + name + "': background tasks support "
				+ Arrays.stream(values()).map((kind) -> kind.migrations).toList() + " (or auto)");
	}

	/**
	 * @param url a JDBC URL
	 * @return the supported database it points to, or {@code null} when it is none of them or empty
	 */
	public static @Nullable DatabaseKind ofUrl(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("jdbc:tc:postgresql:")) {
			return POSTGRESQL;
		}
		if (lower.startsWith("jdbc:h2:")) {
			return H2;
		}
		return null;
	}

	/**
	 * Tells which supported database a data source points to.
	 * @param dataSource the data source
	 * @return the kind of database
	 * @throws IllegalStateException when it is not a supported database
	 */
	public static DatabaseKind of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Background tasks could not read the database product name", ex);
		}
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException("Background tasks support H2 and PostgreSQL, but the DataSource is " + product);
	}

}
