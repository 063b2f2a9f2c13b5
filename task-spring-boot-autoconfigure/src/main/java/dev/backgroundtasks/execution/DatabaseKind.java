package dev.backgroundtasks.execution;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
	POSTGRESQL("postgresql"),

	/**
	 * MariaDB 10.7 and later (the first with a {@code UUID} column type), through either MariaDB's or
	 * MySQL's driver.
	 */
	MARIADB("mariadb");

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
		if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:tc:mariadb:")) {
			return MARIADB;
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
			product = JdbcUtils.extractDatabaseMetaData(dataSource,
					(metaData) -> metaData.getDatabaseProductName() + " " + metaData.getDatabaseProductVersion());
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Background tasks could not read the database product name", ex);
		}
		String name = product.toLowerCase(Locale.ROOT);
		if (name.startsWith("postgresql")) {
			return POSTGRESQL;
		}
		if (name.startsWith("h2 ")) {
			return H2;
		}
		// MySQL's driver reports a MariaDB server as MySQL, with MariaDB in its version.
		if (name.startsWith("mysql") && name.contains("mariadb")) {
			throw new IllegalStateException("Background tasks on MariaDB need MariaDB's JDBC driver"
					+ " (org.mariadb.jdbc:mariadb-java-client), but the DataSource uses MySQL's (" + product
					+ "): it sends a java.util.UUID as a serialized Java object, which MariaDB's UUID columns refuse");
		}
		if (name.contains("mariadb")) {
			if (!atLeast(product, 10, 7)) {
				throw new IllegalStateException("Background tasks need MariaDB 10.7 or later (for its UUID type), but the"
						+ " DataSource is " + product);
			}
			return MARIADB;
		}
		if (name.startsWith("mysql")) {
			throw new IllegalStateException("Background tasks do not support MySQL yet (the DataSource is " + product
					+ "): its schema needs BINARY(16) ids where MariaDB has a UUID type; see the README's"
					+ " \"Databases\" section");
		}
		throw new IllegalStateException("Background tasks support H2, PostgreSQL and MariaDB 10.7+, but the DataSource is "
				+ product);
	}

	/**
	 * @return whether the version in a product's name and version is at least the given one: the one
	 * marked MariaDB when there is one (MySQL's driver sees {@code 5.5.5-10.11.9-MariaDB}), else the first
	 */
	static boolean atLeast(String product, int major, int minor) {
		Matcher version = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+-MariaDB", Pattern.CASE_INSENSITIVE).matcher(product);
		if (!version.find()) {
			version = Pattern.compile("(\\d+)\\.(\\d+)").matcher(product);
			if (!version.find()) {
				return false;
			}
		}
		int foundMajor = Integer.parseInt(version.group(1));
		return foundMajor > major || (foundMajor == major && Integer.parseInt(version.group(2)) >= minor);
	}

}
