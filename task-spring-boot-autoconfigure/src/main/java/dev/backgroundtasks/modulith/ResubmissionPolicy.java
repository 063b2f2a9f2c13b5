package dev.backgroundtasks.modulith;

import java.time.Duration;
import java.time.Instant;

import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.util.Assert;

/**
 * Decides, for one incomplete event publication, whether it is resubmitted now. Reads only what the
 * registry records: the status, the completion attempts (1 for the original delivery, one more per
 * resubmission) and the date of the last resubmission (the publication date before the first).
 * <ul>
 * <li>{@code FAILED}: resubmitted once {@code minDelay × 2^(resubmissions so far)}, at most
 * {@code maxDelay}, has passed since its last delivery, so a poison event is not hammered.</li>
 * <li>{@code PUBLISHED} or {@code PROCESSING}: still being delivered, unless nothing happened for
 * {@code staleAfter}: then its node is taken for dead and it is resubmitted like a failed one.</li>
 * <li>{@code RESUBMITTED}: being delivered again; the registry refuses to resubmit it.</li>
 * <li>after {@code maxResubmissions}, a publication is left incomplete for an operator.</li>
 * </ul>
 *
 * @param minDelay the wait after the first failed delivery
 * @param maxDelay the longest wait between two deliveries
 * @param maxResubmissions how many times a publication is resubmitted before it is left for an operator
 * @param staleAfter how long a publication may stay published or processing without news before it is
 * taken for lost; {@link Duration#ZERO} never takes one for lost
 */
public record ResubmissionPolicy(Duration minDelay, Duration maxDelay, int maxResubmissions, Duration staleAfter) {

	/**
	 * What to do with one publication.
	 */
	public enum Decision {

		/** Resubmit it now. */
		RESUBMIT,

		/** It failed; its backoff has not passed yet. */
		BACKING_OFF,

		/** It is being delivered. */
		IN_FLIGHT,

		/** It was resubmitted as often as allowed: left for an operator. */
		EXHAUSTED

	}

	public ResubmissionPolicy {
		Assert.isTrue(!minDelay.isNegative() && !minDelay.isZero(), "minDelay must be positive");
		Assert.isTrue(maxDelay.compareTo(minDelay) >= 0, "maxDelay must not be shorter than minDelay");
		Assert.isTrue(maxResubmissions >= 0, "maxResubmissions must not be negative");
		Assert.isTrue(!staleAfter.isNegative(), "staleAfter must not be negative");
	}

	/**
	 * @param publication an incomplete publication
	 * @param now the current time
	 * @return what to do with it
	 */
	public Decision decide(EventPublication publication, Instant now) {
		Status status = publication.getStatus();
		if (status == Status.COMPLETED || status == Status.RESUBMITTED) {
			return Decision.IN_FLIGHT;
		}
		Instant lastDelivery = lastDelivery(publication);
		int resubmissions = Math.max(0, publication.getCompletionAttempts() - 1);
		if (status != Status.FAILED && (this.staleAfter.isZero() || now.isBefore(lastDelivery.plus(this.staleAfter)))) {
			return Decision.IN_FLIGHT;
		}
		if (resubmissions >= this.maxResubmissions) {
			return Decision.EXHAUSTED;
		}
		return now.isBefore(lastDelivery.plus(backoff(resubmissions))) ? Decision.BACKING_OFF : Decision.RESUBMIT;
	}

	/**
	 * @param resubmissions how many times the publication was resubmitted so far
	 * @return how long after its last delivery it is resubmitted again
	 */
	public Duration backoff(int resubmissions) {
		Duration delay = this.minDelay;
		// Doubling stops at maxDelay, so it never overflows.
		for (int i = 0; i < resubmissions && delay.compareTo(this.maxDelay) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.maxDelay) > 0) ? this.maxDelay : delay;
	}

	private static Instant lastDelivery(EventPublication publication) {
		Instant resubmitted = publication.getLastResubmissionDate();
		Instant published = publication.getPublicationDate();
		return (resubmitted != null && resubmitted.isAfter(published)) ? resubmitted : published;
	}

}
