package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link DatabaseKind}: which database a data source points to, told from what its driver
 * reports, and the ones refused with a message naming why.
 */
class DatabaseKindTests {

	@Test
	void tellsTheSupportedDatabasesFromTheirProductNames() throws SQLException {
		assertThat(DatabaseKind.of(dataSource("PostgreSQL", "15.19"))).isEqualTo(DatabaseKind.POSTGRESQL);
		assertThat(DatabaseKind.of(dataSource("H2", "2.4.240 (2025-09-22)"))).isEqualTo(DatabaseKind.H2);
		assertThat(DatabaseKind.of(dataSource("MariaDB", "10.11.19-MariaDB-0+deb12u1"))).isEqualTo(DatabaseKind.MARIADB);
		assertThat(DatabaseKind.of(dataSource("MariaDB", "11.4.2-MariaDB"))).isEqualTo(DatabaseKind.MARIADB);
		assertThat(DatabaseKind.of(dataSource("MariaDB", "10.7.1-MariaDB"))).isEqualTo(DatabaseKind.MARIADB);
	}

	@Test
	void refusesMariaDbBeforeItsUuidType() throws SQLException {
		DataSource old = dataSource("MariaDB", "10.6.18-MariaDB");
		assertThatIllegalStateException().isThrownBy(() -> DatabaseKind.of(old))
			.withMessageContaining("MariaDB 10.7 or later")
			.withMessageContaining("10.6.18");
	}

	@Test
	void refusesMariaDbThroughMySqlsDriver() throws SQLException {
		DataSource throughMySql = dataSource("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1");
		assertThatIllegalStateException().isThrownBy(() -> DatabaseKind.of(throughMySql))
			.withMessageContaining("org.mariadb.jdbc:mariadb-java-client");
	}

	@Test
	void refusesMySqlNamingWhy() throws SQLException {
		assertThatIllegalStateException().isThrownBy(() -> DatabaseKind.of(dataSource("MySQL", "8.4.3")))
			.withMessageContaining("do not support MySQL")
			.withMessageContaining("BINARY(16)");
	}

	@Test
	void refusesOtherDatabasesNamingTheSupportedOnes() throws SQLException {
		assertThatIllegalStateException().isThrownBy(() -> DatabaseKind.of(dataSource("Oracle", "23.5")))
			.withMessageContaining("H2, PostgreSQL and MariaDB 10.7+")
			.withMessageContaining("Oracle 23.5");
	}

	@Test
	void namesAndUrlsIncludeMariaDb() {
		assertThat(DatabaseKind.named("mariadb")).isEqualTo(DatabaseKind.MARIADB);
		assertThat(DatabaseKind.ofUrl("jdbc:mariadb://127.0.0.1:3306/app")).isEqualTo(DatabaseKind.MARIADB);
		assertThat(DatabaseKind.ofUrl("jdbc:mysql://127.0.0.1:3306/app")).isNull();
		assertThat(DatabaseKind.MARIADB.migrationLocation()).isEqualTo("classpath:dev/backgroundtasks/db/migration/mariadb");
	}

	private static DataSource dataSource(String product, String version) throws SQLException {
		DatabaseMetaData metaData = mock(DatabaseMetaData.class);
		given(metaData.getDatabaseProductName()).willReturn(product);
		given(metaData.getDatabaseProductVersion()).willReturn(version);
		Connection connection = mock(Connection.class);
		given(connection.getMetaData()).willReturn(metaData);
		DataSource dataSource = mock(DataSource.class);
		given(dataSource.getConnection()).willReturn(connection);
		return dataSource;
	}

}
