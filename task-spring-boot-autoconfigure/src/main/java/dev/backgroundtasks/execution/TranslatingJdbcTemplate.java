package dev.backgroundtasks.execution;

import java.util.Collection;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * A template that sends every statement of the stores through {@link #translate}, and may bind and read
 * values its own way ({@link #binding}, {@link #reading}): the one place where the SQL the stores share
 * becomes a database's own (MariaDB) or reads a test clock ({@link ClockOverride}).
 * <p>
 * Every method of {@link JdbcTemplate} that takes SQL as text ends in one of those overridden here.
 * {@code batchUpdate(String, List<Object[]>, int[])} is not overridden: its generic signature differs
 * between Spring Framework 7.0.8 and 7.0.10 (Spring Boot 4.0 and 4.1), and it ends in
 * {@link #batchUpdate(String, BatchPreparedStatementSetter)}.
 */
abstract class TranslatingJdbcTemplate extends JdbcTemplate {

	TranslatingJdbcTemplate(DataSource dataSource) {
		super(dataSource);
	}

	/**
	 * @param sql a statement in the SQL the stores share
	 * @return the statement to send
	 */
	abstract String translate(String sql);

	/**
	 * @param pss binds the values of a statement
	 * @return the setter to use; by default the setter itself
	 */
	@Nullable PreparedStatementSetter binding(@Nullable PreparedStatementSetter pss) {
		return pss;
	}

	/**
	 * @param pss binds the values of each statement of a batch
	 * @return the setter to use; by default the setter itself
	 */
	BatchPreparedStatementSetter binding(BatchPreparedStatementSetter pss) {
		return pss;
	}

	/**
	 * @param pss binds the values of each statement of a batch
	 * @return the setter to use; by default the setter itself
	 */
	<T> ParameterizedPreparedStatementSetter<T> binding(ParameterizedPreparedStatementSetter<T> pss) {
		return pss;
	}

	/**
	 * @param extractor reads a result
	 * @return the extractor to use; by default the extractor itself
	 */
	<T> ResultSetExtractor<T> reading(ResultSetExtractor<T> extractor) {
		return extractor;
	}

	@Override
	public void execute(String sql) throws DataAccessException {
		super.execute(translate(sql));
	}

	@Override
	public <T> @Nullable T query(String sql, ResultSetExtractor<T> rse) throws DataAccessException {
		return super.query(translate(sql), reading(rse));
	}

	@Override
	public int update(String sql) throws DataAccessException {
		return super.update(translate(sql));
	}

	@Override
	public int[] batchUpdate(String... sql) throws DataAccessException {
		String[] statements = new String[sql.length];
		for (int i = 0; i < sql.length; i++) {
			statements[i] = translate(sql[i]);
		}
		return super.batchUpdate(statements);
	}

	@Override
	public <T> @Nullable T execute(String sql, PreparedStatementCallback<T> action) throws DataAccessException {
		return super.execute(translate(sql), action);
	}

	@Override
	public <T> @Nullable T query(String sql, @Nullable PreparedStatementSetter pss, ResultSetExtractor<T> rse)
			throws DataAccessException {
		return super.query(translate(sql), binding(pss), reading(rse));
	}

	@Override
	public int update(String sql, @Nullable PreparedStatementSetter pss) throws DataAccessException {
		return super.update(translate(sql), binding(pss));
	}

	@Override
	public int[] batchUpdate(String sql, BatchPreparedStatementSetter pss) throws DataAccessException {
		return super.batchUpdate(translate(sql), binding(pss));
	}

	@Override
	public <T> int[][] batchUpdate(String sql, Collection<T> batchArgs, int batchSize,
			ParameterizedPreparedStatementSetter<T> pss) throws DataAccessException {
		return super.batchUpdate(translate(sql), batchArgs, batchSize, binding(pss));
	}

}
