package dev.backgroundtasks.modulith;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskSchedule;
import dev.backgroundtasks.modulith.ResubmissionPolicy.Decision;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.util.Assert;

/**
 * A background task that resubmits Spring Modulith's incomplete event publications on an interval
 * schedule, once per tick across the cluster, following a {@link ResubmissionPolicy}. Each run is an
 * ordinary execution of the task {@value #TASK}, with a result counting what it found.
 * <p>
 * It goes through {@link IncompleteEventPublications#resubmitIncompletePublications(java.util.function.Predicate)},
 * which reads every incomplete publication, so a publication left for an operator never blocks the ones
 * behind it (as a batch of the oldest failed publications would).
 */
public class IncompletePublicationResubmitter {

	/** The task's name. */
	public static final String TASK = "modulith-event-resubmission";

	/** The interval used when {@code background-tasks.modulith.resubmission.interval} is not set. */
	public static final String DEFAULT_INTERVAL = "30s";

	private static final Log logger = LogFactory.getLog(IncompletePublicationResubmitter.class);

	private final IncompleteEventPublications publications;

	private final ResubmissionPolicy policy;

	private final int batchSize;

	private final Clock clock;

	private final AtomicInteger lastExhausted = new AtomicInteger();

	/**
	 * @param publications Spring Modulith's incomplete publications
	 * @param policy which publications to resubmit
	 * @param batchSize at most how many publications one run resubmits
	 * @param clock the clock the policy reads
	 */
	public IncompletePublicationResubmitter(IncompleteEventPublications publications, ResubmissionPolicy policy,
			int batchSize, Clock clock) {
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		this.publications = publications;
		this.policy = policy;
		this.batchSize = batchSize;
		this.clock = clock;
	}

	/**
	 * Resubmits the publications that are due. A listener invoked again runs where Modulith runs it:
	 * an {@code @ApplicationModuleListener} asynchronously, a plain {@code @TransactionalEventListener}
	 * in this execution's thread.
	 * @return counts: {@code resubmitted}, {@code deferred} (due, beyond the batch size),
	 * {@code backingOff}, {@code inFlight} and {@code exhausted} (left for an operator)
	 */
	@BackgroundTask(name = TASK, tags = "modulith", concurrency = 1, retry = @Retry(maxAttempts = 1),
			description = "Resubmits incomplete Spring Modulith event publications with exponential backoff")
	@TaskSchedule(every = "${background-tasks.modulith.resubmission.interval:" + DEFAULT_INTERVAL + "}",
			misfire = Misfire.SKIP)
	public Map<String, Integer> resubmit() {
		Instant now = this.clock.instant();
		Map<Decision, Integer> counts = new EnumMap<>(Decision.class);
		AtomicInteger deferred = new AtomicInteger();
		this.publications.resubmitIncompletePublications((publication) -> {
			Decision decision = this.policy.decide(publication, now);
			if (decision == Decision.RESUBMIT && counts.getOrDefault(Decision.RESUBMIT, 0) >= this.batchSize) {
				deferred.incrementAndGet();
				return false;
			}
			counts.merge(decision, 1, Integer::sum);
			if (decision == Decision.EXHAUSTED && logger.isDebugEnabled()) {
				logger.debug(describe(publication) + " was resubmitted " + this.policy.maxResubmissions()
						+ " times and is left incomplete");
			}
			return decision == Decision.RESUBMIT;
		});
		Map<String, Integer> result = new LinkedHashMap<>();
		result.put("resubmitted", counts.getOrDefault(Decision.RESUBMIT, 0));
		result.put("deferred", deferred.get());
		result.put("backingOff", counts.getOrDefault(Decision.BACKING_OFF, 0));
		result.put("inFlight", counts.getOrDefault(Decision.IN_FLIGHT, 0));
		result.put("exhausted", counts.getOrDefault(Decision.EXHAUSTED, 0));
		warnOfNewlyExhausted(result.get("exhausted"));
		return result;
	}

	// Once per change, not once per run: the count stays until an operator acts.
	private void warnOfNewlyExhausted(int exhausted) {
		int before = this.lastExhausted.getAndSet(exhausted);
		if (exhausted > before) {
			logger.warn(exhausted + " Spring Modulith event publication(s) failed after " + this.policy.maxResubmissions()
					+ " resubmissions and are left incomplete for an operator (see the event publication table)");
		}
	}

	private static String describe(EventPublication publication) {
		return "Event publication " + publication.getIdentifier() + " (" + publication.getEvent().getClass().getName()
				+ ")";
	}

}
