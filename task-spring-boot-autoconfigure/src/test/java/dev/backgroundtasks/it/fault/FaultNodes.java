package dev.backgroundtasks.it.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.backgroundtasks.it.TcpProxy;
import dev.backgroundtasks.it.app.TestTasksApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Starts the nodes of the fault tests (application contexts of the test application with
 * {@link FaultTasks}) and routes a PostgreSQL JDBC URL through a {@link TcpProxy}.
 */
final class FaultNodes {

	private static final Pattern ADDRESS = Pattern.compile("^(jdbc:postgresql://)([^/:?]+)(?::(\\d+))?(/.*)$");

	private FaultNodes() {
	}

	/**
	 * Starts a node; {@code properties} ({@code key=value}) come on top of the defaults.
	 */
	static ConfigurableApplicationContext start(String url, String name, String... properties) {
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--background-tasks.node-name=" + name, "--background-tasks.worker.poll-interval=100ms"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(TestTasksApplication.class, FaultTasks.class)
			.web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	/**
	 * @return a proxy that forwards to the PostgreSQL server of the URL
	 */
	static TcpProxy proxyTo(String url) {
		Matcher matcher = matcher(url);
		try {
			return new TcpProxy(matcher.group(2), (matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 5432);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return the URL with the proxy in place of the server
	 */
	static String through(TcpProxy proxy, String url) {
		Matcher matcher = matcher(url);
		return matcher.group(1) + "127.0.0.1:" + proxy.port() + matcher.group(4);
	}

	/**
	 * @return a template on the URL that opens a connection for each statement: the test's own view of
	 * the database, which no fault touches
	 */
	static JdbcTemplate observer(String url) {
		return new JdbcTemplate(new DriverManagerDataSource(url));
	}

	private static Matcher matcher(String url) {
		Matcher matcher = ADDRESS.matcher(url);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL with a host: " + url);
		}
		return matcher;
	}

}
