package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ExecutionFilter}.
 */
class ExecutionFilterTests {

	private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");

	private static final Instant TO = Instant.parse("2026-03-02T00:00:00Z");

	@Test
	void eachWitherSetsItsOwnFilterOnly() {
		ExecutionFilter filter = ExecutionFilter.all()
			.withTask("report")
			.withStatus(TaskStatus.FAILED)
			.withSubmittedBy("alice")
			.withTasks(List.of("report", "mail"))
			.withKey("order-7")
			.withNode("n1")
			.withTrigger(TaskTrigger.RETRY)
			.withFrom(FROM)
			.withTo(TO);
		assertThat(filter).isEqualTo(new ExecutionFilter("report", TaskStatus.FAILED, "alice", Set.of("report", "mail"),
				"order-7", "n1", TaskTrigger.RETRY, FROM, TO));
		assertThat(filter.withTask(null).task()).isNull();
		assertThat(filter.withStatus(null).status()).isNull();
		assertThat(filter.withSubmittedBy(null).submittedBy()).isNull();
		assertThat(filter.withTasks(null).tasks()).isNull();
		assertThat(filter.withKey(null).key()).isNull();
		assertThat(filter.withNode(null).node()).isNull();
		assertThat(filter.withTrigger(null).trigger()).isNull();
		assertThat(filter.withFrom(null).from()).isNull();
		assertThat(filter.withTo(null).withTask("mail")).isEqualTo(new ExecutionFilter("mail", TaskStatus.FAILED,
				"alice", Set.of("report", "mail"), "order-7", "n1", TaskTrigger.RETRY, FROM, null));
	}

	@Test
	void allFiltersNothingAndTheShortConstructorsStillWork() {
		assertThat(ExecutionFilter.all()).isEqualTo(new ExecutionFilter(null, null, null, null, null, null, null, null,
				null));
		assertThat(new ExecutionFilter("report", TaskStatus.READY))
			.isEqualTo(ExecutionFilter.all().withTask("report").withStatus(TaskStatus.READY));
		assertThat(new ExecutionFilter("report", null, "bob"))
			.isEqualTo(ExecutionFilter.all().withTask("report").withSubmittedBy("bob"));
	}

	@Test
	void theTasksAreACopyThatCannotChange() {
		List<String> names = new ArrayList<>(List.of("report"));
		ExecutionFilter filter = ExecutionFilter.all().withTasks(names);
		names.add("mail");
		assertThat(filter.tasks()).containsExactly("report");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> filter.tasks().add("mail"));
		assertThat(ExecutionFilter.all().withTasks(Set.of()).tasks()).isEmpty();
	}

	@Test
	void timesAnIdCannotHoldAreRefused() {
		Instant beyond = Instant.parse("+10889-08-02T05:31:50.656Z");
		assertThatIllegalArgumentException().isThrownBy(() -> ExecutionFilter.all().withFrom(beyond))
			.withMessageStartingWith("from must not be after +10889-08-02T05:31:50.655Z");
		assertThatIllegalArgumentException().isThrownBy(() -> ExecutionFilter.all().withTo(beyond))
			.withMessageStartingWith("to must not be after");
		assertThat(ExecutionFilter.all().withFrom(Instant.parse("1900-01-01T00:00:00Z")).from()).isNotNull();
	}

}
