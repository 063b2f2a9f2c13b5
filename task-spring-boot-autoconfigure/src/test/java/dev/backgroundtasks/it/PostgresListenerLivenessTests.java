package dev.backgroundtasks.it;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.postgres.PostgresWakeUpListener;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose listening connection silently stops carrying bytes (a NAT or firewall dropping an idle
 * connection, a pulled cable: no reset) notices within a few check intervals, keeps trying to reconnect
 * without an attempt hanging, listens again once the network is back, and claims at once the work whose
 * wake-up it missed meanwhile, although it polls only every ten minutes. Only its listening connection
 * goes through the {@link TcpProxy}; its pool reaches PostgreSQL directly.
 */
@PostgresTest
class PostgresListenerLivenessTests {

	private static final Duration GENEROUSLY = Duration.ofSeconds(30);

	@Test
	void aSilentlyDroppedListenerReconnectsAndCatchesUp() throws IOException {
		String url = PostgresTestDatabase.freshSchemaUrl();
		Properties parsed = Driver.parseURL(url, null);
		try (TcpProxy proxy = new TcpProxy(parsed.getProperty("PGHOST"), Integer.parseInt(parsed.getProperty("PGPORT")));
				ConfigurableApplicationContext worker = new SpringApplicationBuilder(TestTasksApplication.class,
						ListenerThroughProxy.class)
					.web(WebApplicationType.NONE)
					.run("--test.url=" + url, "--test.listener-url=" + throughProxy(url, proxy.port()),
							"--background-tasks.database.platform=postgresql",
							"--background-tasks.node-name=deafened-node",
							"--background-tasks.worker.poll-interval=10m",
							"--background-tasks.database.listener-check-interval=1s");
				ConfigurableApplicationContext submitter = new SpringApplicationBuilder(TestTasksApplication.class)
					.web(WebApplicationType.NONE)
					.run("--spring.datasource.url=" + url, "--background-tasks.node-name=submitting-node",
							"--background-tasks.worker.enabled=false")) {
			PostgresWakeUpListener listener = worker.getBean(PostgresWakeUpListener.class);
			TaskClient client = submitter.getBean(TaskClient.class);
			await().atMost(GENEROUSLY).until(listener::isListening);
			TaskHandle heard = client.submit("greet", Map.of("name", "heard"));
			await().atMost(GENEROUSLY).until(() -> heard.status() == TaskStatus.SUCCESSFUL);
			assertThat(heard.execution().node()).isEqualTo("deafened-node");

			proxy.cut();
			int socketsAtCut = proxy.openSockets();
			await().atMost(GENEROUSLY).until(() -> !listener.isListening());
			// Each attempt to reconnect while cut opens one more socket to the proxy, which holds it
			// silently: more sockets mean that attempts give up (the pool's connection timeout) and retry.
			await().atMost(GENEROUSLY).until(() -> proxy.openSockets() >= socketsAtCut + 3);
			TaskHandle missed = client.submit("greet", Map.of("name", "missed"));
			assertThat(missed.status()).isEqualTo(TaskStatus.READY);

			proxy.heal();
			await().atMost(GENEROUSLY).until(listener::isListening);
			await().atMost(GENEROUSLY).until(() -> missed.status() == TaskStatus.SUCCESSFUL);
			assertThat(missed.execution().node()).isEqualTo("deafened-node");
			TaskHandle again = client.submit("greet", Map.of("name", "again"));
			await().atMost(GENEROUSLY).until(() -> again.status() == TaskStatus.SUCCESSFUL);
			assertThat(again.execution().node()).isEqualTo("deafened-node");
		}
	}

	private static String throughProxy(String url, int port) {
		return url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerThroughProxy {

		@Bean
		ProxiedListenerDataSource dataSource(Environment environment) {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(environment.getRequiredProperty("test.url"));
			pool.setMaximumPoolSize(4);
			HikariDataSource listener = new HikariDataSource();
			listener.setJdbcUrl(environment.getRequiredProperty("test.listener-url"));
			listener.setConnectionTimeout(1000);
			return new ProxiedListenerDataSource(pool, listener);
		}

	}

	/**
	 * The application's pool, except that the settings read for connections outside the pool (found by
	 * unwrapping a {@link HikariDataSource}) lead through the proxy. That pool is never started.
	 */
	static final class ProxiedListenerDataSource extends DelegatingDataSource implements AutoCloseable {

		private final HikariDataSource pool;

		private final HikariDataSource listener;

		ProxiedListenerDataSource(HikariDataSource pool, HikariDataSource listener) {
			super(pool);
			this.pool = pool;
			this.listener = listener;
		}

		@Override
		public boolean isWrapperFor(Class<?> type) throws SQLException {
			return type == HikariDataSource.class || super.isWrapperFor(type);
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			return (type == HikariDataSource.class) ? type.cast(this.listener) : super.unwrap(type);
		}

		@Override
		public void close() {
			this.pool.close();
			this.listener.close();
		}

	}

}
