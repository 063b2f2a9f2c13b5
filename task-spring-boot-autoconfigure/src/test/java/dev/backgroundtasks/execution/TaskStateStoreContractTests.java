package dev.backgroundtasks.execution;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link TaskStateStore}: enabling or disabling a task inserts its row the first time
 * and updates it after that.
 */
class TaskStateStoreContractTests extends AbstractStoreContractTests {

	private TaskStateStore states;

	@BeforeEach
	void states() {
		this.states = new JdbcTaskStateStore(this.jdbc, this.dialect);
	}

	@Test
	void upsertsRuntimeStates() {
		assertThat(this.states.disabledTasks()).isEmpty();
		this.states.setEnabled("report", false);
		this.states.setEnabled("digest", false);
		this.states.setEnabled("report", false);
		assertThat(this.states.disabledTasks()).containsExactlyInAnyOrder("report", "digest");
		this.states.setEnabled("report", true);
		assertThat(this.states.disabledTasks()).containsExactly("digest");
		this.states.setEnabled("report", false);
		assertThat(this.states.disabledTasks()).containsExactlyInAnyOrder("report", "digest");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_task_state", Integer.class)).isEqualTo(2);
	}

	@Test
	void enablingATaskNeverDisabledStoresItEnabled() {
		this.states.setEnabled("report", true);
		assertThat(this.states.disabledTasks()).isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT enabled FROM bgt_task_state WHERE task_name = 'report'",
				Boolean.class)).isTrue();
	}

	@Test
	void eachChangeRecordsWhenItWasMade() {
		this.states.setEnabled("report", false);
		this.jdbc.update("UPDATE bgt_task_state SET updated_at = CURRENT_TIMESTAMP - INTERVAL '1' HOUR");
		this.states.setEnabled("report", true);
		assertThat(this.jdbc.queryForObject("SELECT CAST(EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - updated_at)) AS BIGINT)"
				+ " FROM bgt_task_state WHERE task_name = 'report'", Long.class)).isBetween(0L, 60L);
	}

}
