package dev.backgroundtasks.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.execution.ScheduleStore;
import dev.backgroundtasks.execution.TaskStateStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.ScheduleDeclaration;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskOverrides;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ScheduleTicker} against an in-memory store whose clock the test moves: which fire
 * times a round stores, misfires, disabled tasks and skipped ticks.
 */
class ScheduleTickerTests {

	private static final Instant START = Instant.parse("2026-05-01T10:00:00.200Z");

	private final FakeStore store = new FakeStore();

	private final FakeStates states = new FakeStates();

	private final DefaultTaskRegistry registry = new DefaultTaskRegistry();

	private final ScheduleCatalog catalog = new ScheduleCatalog(this.registry, TaskOverrides.NONE);

	private final TaskEnablement enablement = new TaskEnablement(this.states, TaskOverrides.NONE, Duration.ofSeconds(1));

	private final ScheduleTicker ticker = new ScheduleTicker(this.registry, this.catalog, this.enablement,
			this.store, executions(this.store), new WorkSignal(), Duration.ofMinutes(1), ExecutionObserver.NONE);

	@Test
	void storesEveryDueFireTimeOnceWithNoneMissing() {
		register("tick", "1s", Misfire.FIRE_ONCE, 0);
		for (int second = 0; second < 20; second++) {
			this.store.now = START.plusMillis(second * 700L);
			this.ticker.tick();
			this.ticker.tick();
		}
		List<Instant> fired = this.store.fireTimes("tick");
		assertThat(fired).doesNotHaveDuplicates().isSorted().hasSize(13);
		for (int i = 1; i < fired.size(); i++) {
			assertThat(Duration.between(fired.get(i - 1), fired.get(i))).isEqualTo(Duration.ofSeconds(1));
		}
		assertThat(fired.get(0)).isEqualTo("2026-05-01T10:00:01Z");
	}

	@Test
	void aNewScheduleDoesNotFireForThePast() {
		register("tick", "1h", Misfire.FIRE_ONCE, 0);
		this.store.now = START;
		Duration untilNext = this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).isEmpty();
		// Less the (unasserted) time the round itself took.
		Duration untilTopOfHour = Duration.between(START, Instant.parse("2026-05-01T11:00:00Z"));
		assertThat(untilNext).isLessThanOrEqualTo(untilTopOfHour).isGreaterThan(untilTopOfHour.minusMinutes(1));
	}

	@Test
	void missedFireTimesAtStartUpFireOnceForTheLatest() {
		register("tick", "1h", Misfire.FIRE_ONCE, 0);
		this.store.insert(UUID.randomUUID(), "tick", "every PT1H", Instant.parse("2026-04-30T10:00:00Z"));
		this.store.now = START;
		this.ticker.tick();
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).containsExactly(Instant.parse("2026-04-30T10:00:00Z"),
				Instant.parse("2026-05-01T10:00:00Z"));
		assertThat(this.ticker.getMisfireCount()).isOne();
	}

	@Test
	void missedFireTimesAtStartUpAreSkippedWithMisfireSkip() {
		register("tick", "1h", Misfire.SKIP, 0);
		this.store.insert(UUID.randomUUID(), "tick", "every PT1H", Instant.parse("2026-04-30T10:00:00Z"));
		this.store.now = START;
		this.ticker.tick();
		this.store.now = Instant.parse("2026-05-01T11:00:00.100Z");
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).containsExactly(Instant.parse("2026-04-30T10:00:00Z"),
				Instant.parse("2026-05-01T11:00:00Z"));
	}

	@Test
	void aRoundLateBeyondTheThresholdFiresOneCatchUpThenTheRecentFireTimes() {
		register("tick", "1s", Misfire.FIRE_ONCE, 0);
		this.store.now = START;
		this.ticker.tick();
		this.store.now = START.plus(Duration.ofMinutes(10));
		this.ticker.tick();
		List<Instant> fired = this.store.fireTimes("tick");
		// One catch-up for the last fire time older than a minute, then each of the last minute's 60.
		assertThat(fired).hasSize(61).doesNotHaveDuplicates();
		assertThat(fired.get(0)).isEqualTo("2026-05-01T10:09:00Z");
		assertThat(fired.get(60)).isEqualTo("2026-05-01T10:10:00Z");
	}

	@Test
	void aDisabledTaskDoesNotFireAndResumesWithoutCatchingUp() {
		register("tick", "1s", Misfire.FIRE_ONCE, 0);
		this.store.now = START;
		this.ticker.tick();
		this.states.disabled.add("tick");
		this.store.now = START.plusSeconds(30);
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).isEmpty();
		this.states.disabled.remove("tick");
		this.store.now = START.plusSeconds(31);
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).containsExactly(Instant.parse("2026-05-01T10:00:31Z"));
	}

	@Test
	void skipsAFireTimeWhileTheLastExecutionOfAOneAtATimeTaskIsActive() {
		register("tick", "1s", Misfire.FIRE_ONCE, 1);
		this.store.now = START;
		this.ticker.tick();
		this.store.now = START.plusSeconds(1);
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).hasSize(1);
		this.store.active.add("tick");
		this.store.now = START.plusSeconds(3);
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).hasSize(1);
		assertThat(this.ticker.getSkippedCount()).isEqualTo(2);
		this.store.active.remove("tick");
		this.store.now = START.plusSeconds(4);
		this.ticker.tick();
		assertThat(this.store.fireTimes("tick")).hasSize(2);
	}

	@Test
	void twoNodesStoreEachFireTimeOnce() {
		register("tick", "1s", Misfire.FIRE_ONCE, 0);
		ScheduleTicker other = new ScheduleTicker(this.registry, this.catalog, this.enablement, this.store,
				executions(this.store), new WorkSignal(), Duration.ofMinutes(1), ExecutionObserver.NONE);
		for (int step = 0; step < 10; step++) {
			this.store.now = START.plusMillis(step * 900L);
			this.ticker.tick();
			this.store.now = START.plusMillis(step * 900L + 450);
			other.tick();
		}
		List<Instant> expected = new ArrayList<>();
		for (int second = 1; second <= 8; second++) {
			expected.add(Instant.parse("2026-05-01T10:00:00Z").plusSeconds(second));
		}
		assertThat(this.store.fireTimes("tick")).isEqualTo(expected);
		assertThat(this.ticker.getFiredCount()).isPositive();
		assertThat(other.getFiredCount()).isPositive();
		assertThat(this.ticker.getFiredCount() + other.getFiredCount()).isEqualTo(8);
	}

	private void register(String name, String every, Misfire misfire, int concurrency) {
		this.registry.register(new TaskDefinition(name, "", List.of(), "test", name + "()", List.of(), null, true,
				new ExecutionPolicy(-1, null, null, List.of(), null, concurrency), (arguments) -> null,
				List.of(new ScheduleDeclaration("", "", every, misfire))));
	}

	static final class FakeStore implements ScheduleStore {

		Instant now = START;

		final List<String[]> rows = new ArrayList<>();

		final Set<String> active = new HashSet<>();

		@Override
		public Instant now() {
			return this.now;
		}

		@Override
		public @Nullable Instant latestFireTime(String task, String scheduleId) {
			return this.rows.stream()
				.filter((row) -> row[0].equals(task) && row[1].equals(scheduleId))
				.map((row) -> Instant.parse(row[2]))
				.max(Instant::compareTo)
				.orElse(null);
		}

		@Override
		public boolean exists(String task, String scheduleId, Instant fireTime) {
			return this.rows.stream()
				.anyMatch((row) -> row[0].equals(task) && row[1].equals(scheduleId)
						&& row[2].equals(fireTime.toString()));
		}

		@Override
		public boolean hasActiveExecution(String task) {
			return this.active.contains(task);
		}

		boolean insert(UUID id, String task, String scheduleId, Instant fireTime) {
			if (exists(task, scheduleId, fireTime)) {
				return false;
			}
			return this.rows.add(new String[] { task, scheduleId, fireTime.toString() });
		}

		List<Instant> fireTimes(String task) {
			return this.rows.stream()
				.filter((row) -> row[0].equals(task))
				.map((row) -> Instant.parse(row[2]))
				.sorted()
				.toList();
		}

	}

	/**
	 * The executions of fire times, stored as the fake store's rows.
	 */
	private static ExecutionStore executions(FakeStore store) {
		ExecutionStore executions = mock(ExecutionStore.class);
		given(executions.insertScheduled(any())).willAnswer((invocation) -> {
			NewExecution execution = invocation.getArgument(0);
			return store.insert(execution.id(), execution.task(), execution.scheduleId(), execution.fireTime());
		});
		return executions;
	}

	static final class FakeStates implements TaskStateStore {

		final Set<String> disabled = new HashSet<>();

		@Override
		public Set<String> disabledTasks() {
			return Set.copyOf(this.disabled);
		}

		@Override
		public void setEnabled(String task, boolean enabled) {
			if (enabled) {
				this.disabled.remove(task);
			}
			else {
				this.disabled.add(task);
			}
		}

	}

}
