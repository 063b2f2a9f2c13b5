package dev.backgroundtasks.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link CoalescedInserts}, with a mocked store whose inserts can be held.
 */
class CoalescedInsertsTests {

	private final ExecutionStore store = mock(ExecutionStore.class);

	private final CoalescedInserts inserts = new CoalescedInserts(this.store);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void aThreadAloneStoresItsRowWithTheSingleRowInsert() {
		NewExecution execution = execution();
		given(this.store.insert(execution)).willReturn(execution.id());
		this.inserts.insert(execution);
		then(this.store).should().insert(execution);
		then(this.store).should(never()).insertAll(anyList());
	}

	@Test
	void submissionsQueuedWhileAnInsertRunsAreStoredInOneInsertInTheirOrder() throws Exception {
		NewExecution first = execution();
		CountDownLatch release = holdInsertOf(first);
		Future<?> leader = this.threads.submit(() -> this.inserts.insert(first));
		awaitHeld();
		List<NewExecution> queued = List.of(execution(), execution(), execution());
		List<Future<?>> followers = new ArrayList<>();
		for (NewExecution execution : queued) {
			followers.add(this.threads.submit(() -> this.inserts.insert(execution)));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.inserts.queued() == followers.size());
		}
		followers.forEach((follower) -> assertThat(follower).isNotDone());
		release.countDown();
		leader.get(10, TimeUnit.SECONDS);
		for (Future<?> follower : followers) {
			follower.get(10, TimeUnit.SECONDS);
		}
		ArgumentCaptor<List<NewExecution>> shared = listCaptor();
		then(this.store).should().insertAll(shared.capture());
		assertThat(shared.getValue()).containsExactlyElementsOf(queued);
		then(this.store).should(times(1)).insert(any());
	}

	@Test
	void whenASharedInsertFailsEachCallerStoresItsRowAloneAndOnlyTheBadRowFails() throws Exception {
		NewExecution first = execution();
		CountDownLatch release = holdInsertOf(first);
		NewExecution good = execution();
		NewExecution bad = execution();
		willThrow(new DataIntegrityViolationException("value too long")).given(this.store).insertAll(anyList());
		given(this.store.insert(good)).willReturn(good.id());
		given(this.store.insert(bad)).willThrow(new DataIntegrityViolationException("value too long for " + bad.id()));
		Future<?> leader = this.threads.submit(() -> this.inserts.insert(first));
		awaitHeld();
		Future<?> goodCaller = this.threads.submit(() -> this.inserts.insert(good));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.inserts.queued() == 1);
		Future<?> badCaller = this.threads.submit(() -> this.inserts.insert(bad));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.inserts.queued() == 2);
		release.countDown();
		leader.get(10, TimeUnit.SECONDS);
		goodCaller.get(10, TimeUnit.SECONDS);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> badCaller.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(DataIntegrityViolationException.class)
			.withMessageContaining(bad.id().toString());
		then(this.store).should().insertAll(List.of(good, bad));
		then(this.store).should().insert(good);
		then(this.store).should().insert(bad);
	}

	@Test
	void aFailedInsertThrowsInItsCaller() {
		NewExecution execution = execution();
		TransientDataAccessResourceException down = new TransientDataAccessResourceException("database down");
		given(this.store.insert(execution)).willThrow(down);
		assertThatExceptionOfType(TransientDataAccessResourceException.class)
			.isThrownBy(() -> this.inserts.insert(execution))
			.isSameAs(down);
	}

	@Test
	void aCallerInterruptedWhileItWaitsReturnsOnceStoredWithItsInterruptKept() throws Exception {
		NewExecution first = execution();
		CountDownLatch release = holdInsertOf(first);
		Future<?> leader = this.threads.submit(() -> this.inserts.insert(first));
		awaitHeld();
		NewExecution execution = execution();
		CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			Thread.currentThread().interrupt();
			this.inserts.insert(execution);
			interruptedAfter.complete(Thread.currentThread().isInterrupted());
		});
		caller.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.inserts.queued() == 1);
		assertThat(interruptedAfter).isNotDone();
		release.countDown();
		leader.get(10, TimeUnit.SECONDS);
		assertThat(interruptedAfter.get(10, TimeUnit.SECONDS)).isTrue();
		then(this.store).should().insert(execution);
	}

	private final CountDownLatch held = new CountDownLatch(1);

	/**
	 * Makes the insert of that execution wait until the returned latch is counted down.
	 */
	private CountDownLatch holdInsertOf(NewExecution execution) {
		CountDownLatch release = new CountDownLatch(1);
		willAnswer((invocation) -> {
			this.held.countDown();
			assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
			return execution.id();
		}).given(this.store).insert(execution);
		return release;
	}

	private void awaitHeld() throws InterruptedException {
		assertThat(this.held.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@SuppressWarnings("unchecked")
	private static ArgumentCaptor<List<NewExecution>> listCaptor() {
		return ArgumentCaptor.forClass(List.class);
	}

	private static NewExecution execution() {
		return new NewExecution(ExecutionIds.next(), "greet", TaskTrigger.CODE, "{}", 3, 0, 0, null, null, null, null,
				null, null, null, null);
	}

}
