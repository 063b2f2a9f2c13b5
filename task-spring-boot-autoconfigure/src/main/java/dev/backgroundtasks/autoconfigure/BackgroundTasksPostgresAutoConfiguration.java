package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import javax.sql.DataSource;

import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.event.ClusterEventCodec;
import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.postgres.PostgresEventNotifier;
import dev.backgroundtasks.postgres.PostgresEventRelay;
import dev.backgroundtasks.postgres.PostgresChannelListener;
import dev.backgroundtasks.postgres.PostgresReadyNotifier;
import dev.backgroundtasks.postgres.PostgresStreamInterest;
import dev.backgroundtasks.postgres.PostgresStreamInterestListener;
import dev.backgroundtasks.postgres.PostgresWakeUpListener;
import dev.backgroundtasks.support.DedicatedConnections;
import dev.backgroundtasks.support.NodeName;
import dev.backgroundtasks.support.WorkSignal;
import dev.backgroundtasks.web.ExecutionEventStream;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration for what only PostgreSQL gives the cluster, {@code LISTEN/NOTIFY}: wake-ups of the
 * other nodes' workers when work is committed, and the cluster-wide event stream (see the package
 * {@code dev.backgroundtasks.postgres}). Its beans exist only when the database is PostgreSQL.
 */
@AutoConfiguration(after = { BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
		BackgroundTasksWebAutoConfiguration.class })
@ConditionalOnClass(name = "org.postgresql.PGConnection")
@ConditionalOnBean(ExecutionCommands.class)
@ConditionalOnPostgresDatabase
public final class BackgroundTasksPostgresAutoConfiguration {

	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

	@Bean
	@ConditionalOnMissingBean
	PostgresReadyNotifier postgresReadyNotifier(DataSource dataSource, NodeName node) {
		return new PostgresReadyNotifier(new JdbcTemplate(dataSource), node.value());
	}

	@Bean
	@ConditionalOnMissingBean
	PostgresStreamInterest postgresStreamInterest(DataSource dataSource, NodeName node,
			ObjectProvider<PostgresEventRelay> relay) {
		// A node that streams answers when another asks; a lapse in announcements means events kept for
		// replay may have gaps.
		return new PostgresStreamInterest(new JdbcTemplate(dataSource), node.value(),
				() -> relay.ifAvailable(PostgresEventRelay::announceIfStreaming),
				() -> relay.ifAvailable(PostgresEventRelay::announcementsResumed));
	}

	@Bean
	ExecutionEventSink postgresExecutionEventNotifier(DataSource dataSource, JsonMapper mapper,
			PostgresStreamInterest interest) {
		return new PostgresEventNotifier(new JdbcTemplate(dataSource), new ClusterEventCodec(mapper), interest);
	}

	@Bean
	PostgresStreamInterestListener postgresStreamInterestListener(DataSource dataSource, NodeName node,
			PostgresStreamInterest interest, ObjectProvider<PostgresWakeUpListener> wakeUps,
			ObjectProvider<PostgresEventRelay> relays, BackgroundTasksProperties properties) {
		// Needed only by nodes whose other listeners do not hear the announcements already.
		return new PostgresStreamInterestListener(connections(dataSource, "bgt-stream-interest", node), interest,
				RECONNECT_DELAY, checkInterval(properties),
				() -> wakeUps.getIfAvailable() == null && relays.getIfAvailable() == null);
	}

	private static DedicatedConnections connections(DataSource dataSource, String purpose, NodeName node) {
		return new DedicatedConnections(dataSource, purpose + " " + node.value());
	}

	private static Duration checkInterval(BackgroundTasksProperties properties) {
		Duration interval = properties.getDatabase().getListenerCheckInterval();
		if (!PostgresChannelListener.isCheckInterval(interval)) {
			throw new IllegalArgumentException("background-tasks.database.listener-check-interval must be at least"
					+ " 1ms (and at most 24 days), not " + interval);
		}
		return interval;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "background-tasks.worker.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	static class WakeUpConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresWakeUpListener postgresWakeUpListener(DataSource dataSource, WorkSignal signal, NodeName node,
				PostgresStreamInterest interest, BackgroundTasksProperties properties) {
			return new PostgresWakeUpListener(connections(dataSource, "bgt-listener", node), signal, node.value(),
					RECONNECT_DELAY, checkInterval(properties), interest);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ExecutionEventStream.class)
	static class EventRelayConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresEventRelay postgresEventRelay(DataSource dataSource, ExecutionEventStream stream, JsonMapper mapper,
				NodeName node, PostgresStreamInterest interest, BackgroundTasksProperties properties) {
			return new PostgresEventRelay(connections(dataSource, "bgt-events", node), new ClusterEventCodec(mapper),
					stream.sink(), interest, stream::subscriberCount, stream::forgetRecent, RECONNECT_DELAY,
					checkInterval(properties));
		}

	}

}
