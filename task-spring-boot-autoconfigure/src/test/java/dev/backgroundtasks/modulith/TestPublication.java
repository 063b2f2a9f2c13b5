package dev.backgroundtasks.modulith;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.modulith.events.EventPublication;

/**
 * An event publication as the registry reports it, for unit tests.
 */
record TestPublication(Status status, int completionAttempts, Instant published,
		@Nullable Instant lastResubmission) implements EventPublication {

	static TestPublication failed(int completionAttempts, Instant lastDelivery) {
		return new TestPublication(Status.FAILED, completionAttempts, lastDelivery.minusSeconds(3600), lastDelivery);
	}

	@Override
	public UUID getIdentifier() {
		return UUID.nameUUIDFromBytes((this.status + "" + this.completionAttempts + this.published).getBytes());
	}

	@Override
	public Object getEvent() {
		return "event";
	}

	@Override
	public Instant getPublicationDate() {
		return this.published;
	}

	@Override
	public Optional<Instant> getCompletionDate() {
		return Optional.empty();
	}

	@Override
	public Status getStatus() {
		return this.status;
	}

	@Override
	public @Nullable Instant getLastResubmissionDate() {
		return this.lastResubmission;
	}

	@Override
	public int getCompletionAttempts() {
		return this.completionAttempts;
	}

}
