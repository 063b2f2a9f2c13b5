package dev.backgroundtasks.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's scenarios with its {@code mariadb} profile (and so its MariaDB migrations), on the server of
 * {@code BGT_TEST_MARIADB_URL} (as {@code .ci/run} sets it), in a database of their own named after the one
 * the URL names, if any, and dropped when the JVM exits. Skipped when no URL is given, unless
 * {@code BGT_TEST_REQUIRE_MARIADB=true}: then a missing URL fails the run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("mariadb")
@EnabledIf("mariadbRequested")
class SampleApplicationMariaDbTests extends SampleApplicationScenarios {

	/** {@code jdbc:mariadb://host:port}, then the database (perhaps none), then the options (perhaps none). */
	private static final Pattern SERVER_DATABASE_OPTIONS = Pattern.compile("(jdbc:mariadb:[^/]*//[^/?]+)/?([^?]*)(\\?.*)?");

	static boolean mariadbRequested() {
		return serverUrl() != null || Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_MARIADB"));
	}

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String given = serverUrl();
		if (given == null) {
			throw new IllegalStateException("BGT_TEST_REQUIRE_MARIADB=true but BGT_TEST_MARIADB_URL is not set; "
					+ "set it to a MariaDB JDBC URL such as jdbc:mariadb://127.0.0.1:3306/?user=root");
		}
		Matcher parts = SERVER_DATABASE_OPTIONS.matcher(given);
		if (!parts.matches()) {
			throw new IllegalStateException("BGT_TEST_MARIADB_URL is not a MariaDB JDBC URL: " + given);
		}
		String named = parts.group(2);
		String database = (named.isEmpty() ? "bgt" : named) + "_it_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String options = (parts.group(3) != null) ? parts.group(3) + "&" : "?";
		String url = parts.group(1) + "/" + database + options + "createDatabaseIfNotExist=true";
		registry.add("spring.datasource.url", () -> url);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(url, database), "sample-mariadb-cleanup"));
	}

	private static void drop(String url, String database) {
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement()) {
			statement.execute("SET SESSION lock_wait_timeout = 10");
			statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
		}
		catch (SQLException ex) {
			// The server may be gone already; the database is left behind.
		}
	}

	private static @Nullable String serverUrl() {
		String url = System.getenv("BGT_TEST_MARIADB_URL");
		return (url == null || url.isBlank()) ? null : url;
	}

}
