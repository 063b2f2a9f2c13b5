package dev.backgroundtasks.execution;

import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the contract tests of {@link ExecutionStore}, one class per part of the contract: a new
 * {@link JdbcExecutionStore} for each test, with the database's dialect, and helpers that read and
 * change rows directly.
 */
abstract class AbstractExecutionStoreContractTests extends AbstractStoreContractTests {

	ExecutionStore store;

	volatile boolean limitedTasksKnown;

	@BeforeEach
	void store() {
		this.limitedTasksKnown = true;
		this.store = new JdbcExecutionStore(this.jdbc, this.dialect, this.transactions,
				this.dialect.ownTransactions(this.transactions),
				() -> this.limitedTasksKnown);
	}

	/**
	 * @return the id of a new execution of {@code task}, due now
	 */
	UUID insert() {
		return this.store.insert(NewExecution.of(ExecutionIds.next(), "task", TaskTrigger.CODE, "{}"));
	}

	/**
	 * @param maxAttempts how many attempts it may make
	 * @return the id of a new execution of {@code task}, due now
	 */
	UUID insert(int maxAttempts) {
		return this.store.insert(new NewExecution(ExecutionIds.next(), "task", TaskTrigger.CODE, "{}", maxAttempts, 0,
				0, null, null, null, null));
	}

	/**
	 * @return the claim of one new execution of {@code task} on node {@code n1}
	 */
	ClaimedExecution claimed(int maxAttempts) {
		UUID id = insert(maxAttempts);
		ClaimedExecution claim = this.store.claim(id, "n1", LEASE);
		if (claim == null) {
			throw new IllegalStateException("Could not claim " + id);
		}
		return claim;
	}

	/**
	 * @param id an execution
	 * @return its row, by case-insensitive column name
	 */
	Map<String, Object> row(UUID id) {
		return this.jdbc.queryForMap("SELECT * FROM bgt_execution WHERE id = ?", id);
	}

	/**
	 * @param column a time column of {@code bgt_execution}
	 * @param id an execution
	 * @return how many milliseconds after the database's now the column of that execution is (negative
	 * when before), or {@code null} when it is {@code NULL}
	 */
	Long millisFromNow(String column, UUID id) {
		return this.jdbc.queryForObject("SELECT CAST(EXTRACT(EPOCH FROM (" + column + " - CURRENT_TIMESTAMP)) * 1000"
				+ " AS BIGINT) FROM bgt_execution WHERE id = ?", Long.class, id);
	}

	/**
	 * Ends the lease of an execution a second ago, as if its node had stopped heartbeating.
	 * @param id an execution
	 */
	void expireLease(UUID id) {
		this.jdbc.update("UPDATE bgt_execution SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE id = ?",
				id);
	}

}
