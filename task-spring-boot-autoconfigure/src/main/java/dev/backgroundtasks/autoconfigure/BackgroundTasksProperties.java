package dev.backgroundtasks.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for background tasks.
 */
@ConfigurationProperties("background-tasks")
public class BackgroundTasksProperties {

	/**
	 * Whether to enable background tasks.
	 */
	private boolean enabled = true;

	/**
	 * How submitted executions run: 'queue' stores them for the workers of any node; 'immediate'
	 * runs them in the submitting thread (for tests and scripts) and still records them.
	 */
	private Mode mode = Mode.QUEUE;

	/**
	 * Name of this node, recorded on every execution it runs. Defaults to the host name, the process id
	 * and a random suffix.
	 */
	private @Nullable String nodeName;

	private final Worker worker = new Worker();

	private final Web web = new Web();

	private final Database database = new Database();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Mode getMode() {
		return this.mode;
	}

	public void setMode(Mode mode) {
		this.mode = mode;
	}

	public @Nullable String getNodeName() {
		return this.nodeName;
	}

	public void setNodeName(@Nullable String nodeName) {
		this.nodeName = nodeName;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Web getWeb() {
		return this.web;
	}

	public Database getDatabase() {
		return this.database;
	}

	/**
	 * How submitted executions run.
	 */
	public enum Mode {

		/** Stored as READY and run by a worker of any node. */
		QUEUE,

		/** Run in the submitting thread, and recorded. */
		IMMEDIATE

	}

	public static class Worker {

		/**
		 * Whether this node runs executions. A node with the worker off still submits and serves the
		 * REST API.
		 */
		private boolean enabled = true;

		/**
		 * How many executions run at once on this node.
		 */
		private int concurrency = 8;

		/**
		 * How often the worker looks for due executions when nothing wakes it. Local submissions wake it
		 * at once.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * How long stopping the application waits for running executions before interrupting them.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

	}

	public static class Web {

		/**
		 * Whether to expose the REST API.
		 */
		private boolean enabled = true;

		/**
		 * Base path of the REST API.
		 */
		private String basePath = "/api/v1";

		/**
		 * Whether to expose only the read (GET) endpoints of the REST API.
		 */
		private boolean readOnly = false;

		/**
		 * Largest request body accepted by the REST API; larger bodies get 413.
		 */
		private DataSize maxRequestSize = DataSize.ofKilobytes(64);

		/**
		 * Longest 'wait' a client may ask for when long-polling an execution.
		 */
		private Duration maxWait = Duration.ofSeconds(60);

		/**
		 * Largest page size of execution listings.
		 */
		private int maxPageSize = 200;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			this.basePath = basePath;
		}

		public boolean isReadOnly() {
			return this.readOnly;
		}

		public void setReadOnly(boolean readOnly) {
			this.readOnly = readOnly;
		}

		public DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public int getMaxPageSize() {
			return this.maxPageSize;
		}

		public void setMaxPageSize(int maxPageSize) {
			this.maxPageSize = maxPageSize;
		}

	}

	public static class Database {

		/**
		 * Whether to create and upgrade the starter's tables with its own Flyway migrations (history
		 * table 'bgt_schema_history') at start-up.
		 */
		private boolean migrate = true;

		public boolean isMigrate() {
			return this.migrate;
		}

		public void setMigrate(boolean migrate) {
			this.migrate = migrate;
		}

	}

}
