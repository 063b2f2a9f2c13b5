package dev.backgroundtasks.web.openapi.app;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskParam;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

@Component
public class NewsletterTasks {

	@BackgroundTask(name = "send-newsletter", description = "Sends the newsletter to an audience",
			tags = "mail")
	public int sendNewsletter(@TaskParam(description = "The subject line") String subject,
			@TaskParam(defaultValue = "SUBSCRIBERS", description = "Who receives it") Audience audience,
			@TaskParam(defaultValue = "2026-01-01", description = "The issue's date") LocalDate issue,
			@TaskParam(defaultValue = "[\"ops@example.com\"]", description = "Copies to") List<String> copies,
			@TaskParam(defaultValue = "3", description = "Sends at once") int batch,
			@TaskParam(defaultValue = "0.5", description = "Share of the audience") double share,
			@TaskParam(defaultValue = "true") boolean track, @TaskParam(description = "Sender") Sender sender,
			@TaskParam(description = "A reply-to address") @Nullable String replyTo, Optional<Instant> notBefore,
			@TaskParam(defaultValue = "PT1M", description = "Pause between batches") Duration pause,
			@TaskParam(defaultValue = "{}", description = "Extra headers") Map<String, String> headers,
			@TaskParam(description = "The campaign") UUID campaign,
			@TaskParam(sensitive = true, defaultValue = "hunter2", description = "The mail server's token") String token,
			long[] segments) {
		return 0;
	}

	@BackgroundTask(description = "Adds two numbers", tags = "math")
	public int add(int a, int b) {
		return a + b;
	}

	@BackgroundTask(name = "purge-bounces", description = "Only the application may purge", remote = false)
	public void purgeBounces(@TaskParam(defaultValue = "30") int days) {
	}

	public enum Audience {

		SUBSCRIBERS, STAFF, EVERYONE

	}

	/**
	 * @param name the sender's name
	 * @param address the sender's address
	 */
	public record Sender(String name, String address) {
	}

}
