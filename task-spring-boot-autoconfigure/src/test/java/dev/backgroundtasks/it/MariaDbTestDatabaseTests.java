package dev.backgroundtasks.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How {@link MariaDbTestDatabase} reads {@code BGT_TEST_MARIADB_URL}: with or without a database, the
 * per-class databases go on the same server with the same options.
 */
class MariaDbTestDatabaseTests {

	@Test
	void aUrlWithoutDatabaseIsTheServer() {
		String url = "jdbc:mariadb://127.0.0.1:3306/?user=root";
		assertThat(MariaDbTestDatabase.serverUrl(url)).isEqualTo(url);
		assertThat(MariaDbTestDatabase.serverUrl("jdbc:mariadb://127.0.0.1:3306?user=root")).isEqualTo(url);
		assertThat(MariaDbTestDatabase.serverUrl("jdbc:mariadb://127.0.0.1:3306")).isEqualTo("jdbc:mariadb://127.0.0.1:3306/");
		assertThat(MariaDbTestDatabase.databasePrefix(url)).isEqualTo("bgt_it_");
	}

	@Test
	void aNamedDatabaseIsLeftOutAndNamesTheTestsDatabases() {
		String url = "jdbc:mariadb://127.0.0.1:3306/bgt_ci_1765018800_4242?user=root&password=secret";
		assertThat(MariaDbTestDatabase.serverUrl(url)).isEqualTo("jdbc:mariadb://127.0.0.1:3306/?user=root&password=secret");
		assertThat(MariaDbTestDatabase.databasePrefix(url)).isEqualTo("bgt_ci_1765018800_4242_it_");
		assertThat(MariaDbTestDatabase.withDatabase(url, "bgt_it_1"))
			.isEqualTo("jdbc:mariadb://127.0.0.1:3306/bgt_it_1?user=root&password=secret");
		assertThat(MariaDbTestDatabase.serverUrl("jdbc:mariadb://db.example:3307/app")).isEqualTo("jdbc:mariadb://db.example:3307/");
	}

	@Test
	void severalHostsAndAQuestionMarkInTheOptionsAreKept() {
		String url = "jdbc:mariadb:sequential://a:3306,b:3306/bgt_ci?user=root&sessionVariables=sql_mode='ANSI'";
		assertThat(MariaDbTestDatabase.serverUrl(url))
			.isEqualTo("jdbc:mariadb:sequential://a:3306,b:3306/?user=root&sessionVariables=sql_mode='ANSI'");
	}

	@Test
	void aDatabaseNameTooLongToPrefixIsNotUsedAsPrefix() {
		assertThat(MariaDbTestDatabase.databasePrefix("jdbc:mariadb://h/" + "d".repeat(45))).isEqualTo("bgt_it_");
	}

	@Test
	void anythingElseIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> MariaDbTestDatabase.serverUrl("mariadb://h/d"));
	}

}
