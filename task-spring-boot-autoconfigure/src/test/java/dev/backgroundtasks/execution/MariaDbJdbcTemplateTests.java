package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Batches of argument arrays on MariaDB: translated, and times bound as UTC wall-clock times, through the
 * batch path that Spring Framework 7.0 and 7.1 share.
 */
class MariaDbJdbcTemplateTests {

	private static final Instant TIME = Instant.parse("2026-03-29T01:30:00.123456Z");

	private final DataSource dataSource = mock(DataSource.class);

	private final Connection connection = mock(Connection.class);

	private final PreparedStatement statement = mock(PreparedStatement.class);

	@BeforeEach
	void database() throws Exception {
		DatabaseMetaData metaData = mock(DatabaseMetaData.class);
		given(this.dataSource.getConnection()).willReturn(this.connection);
		given(this.connection.getMetaData()).willReturn(metaData);
		given(metaData.supportsBatchUpdates()).willReturn(true);
		given(this.connection.prepareStatement(anyString())).willReturn(this.statement);
		given(this.statement.getConnection()).willReturn(this.connection);
		given(this.statement.executeBatch()).willReturn(new int[] { 1, 1, 1 });
	}

	@Test
	void aBatchOfArgumentArraysIsTranslatedAndBindsTimesAsUtc() throws Exception {
		UUID id = UUID.randomUUID();
		List<Object[]> batch = List.of(new Object[] { Timestamp.from(TIME), id },
				new Object[] { TIME, id }, new Object[] { TIME.atOffset(ZoneOffset.ofHours(2)), id });
		int[] counts = new MariaDbJdbcTemplate(this.dataSource)
			.batchUpdate("UPDATE bgt_execution SET finished_at = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?", batch);

		assertThat(counts).containsExactly(1, 1, 1);
		verify(this.connection)
			.prepareStatement("UPDATE bgt_execution SET finished_at = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?");
		LocalDateTime utc = LocalDateTime.ofInstant(TIME, ZoneOffset.UTC);
		verify(this.statement, times(3)).setObject(1, utc);
		verify(this.statement, never()).setTimestamp(eq(1),
				any(Timestamp.class));
		assertThat(OffsetDateTime.of(utc, ZoneOffset.UTC).toInstant()).isEqualTo(TIME);
	}

	@Test
	void aBatchWithTheTypeTimestampBindsTimestampsAsUtc() throws Exception {
		List<Object[]> batch = List.of(new Object[] { Timestamp.from(TIME) }, new Object[] { TIME },
				new Object[] { Timestamp.from(TIME) });
		new MariaDbJdbcTemplate(this.dataSource).batchUpdate("UPDATE bgt_execution SET finished_at = ?", batch,
				new int[] { Types.TIMESTAMP });

		LocalDateTime utc = LocalDateTime.ofInstant(TIME, ZoneOffset.UTC);
		verify(this.statement, times(2)).setObject(1, utc);
		verify(this.statement).setObject(1, utc, Types.TIMESTAMP);
		verify(this.statement, never()).setTimestamp(eq(1), any(Timestamp.class));
	}

}
