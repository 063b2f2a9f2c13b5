package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.web.StackTracePolicy;
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

	private final Retry retry = new Retry();

	private final Queue queue = new Queue();

	private final Retention retention = new Retention();

	private final Events events = new Events();

	private final Web web = new Web();

	private final Dashboard dashboard = new Dashboard();

	private final Security security = new Security();

	private final Database database = new Database();

	private final Scheduler scheduler = new Scheduler();

	private final Metrics metrics = new Metrics();

	private final Observation observation = new Observation();

	private final Health health = new Health();

	private final Statistics statistics = new Statistics();

	private final Modulith modulith = new Modulith();

	/**
	 * Per-task settings and kill switches (enabled, cron, zone, timeout, retry.*), by task name. Keys
	 * match task names ignoring case, '-' and '_', so the environment variable
	 * BACKGROUND_TASKS_TASKS_DAILYREPORT_ENABLED=false switches off the task 'daily-report'.
	 */
	private final Map<String, Task> tasks = new LinkedHashMap<>();

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

	public Retry getRetry() {
		return this.retry;
	}

	public Queue getQueue() {
		return this.queue;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Events getEvents() {
		return this.events;
	}

	public Web getWeb() {
		return this.web;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Security getSecurity() {
		return this.security;
	}

	public Database getDatabase() {
		return this.database;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	public Map<String, Task> getTasks() {
		return this.tasks;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Health getHealth() {
		return this.health;
	}

	public Statistics getStatistics() {
		return this.statistics;
	}

	public Modulith getModulith() {
		return this.modulith;
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
		 * Most executions beyond 'concurrency' the worker claims ahead and queues locally under load, so
		 * its threads never wait on a claim. Only as many as the threads are expected to start within
		 * 100 ms, judged from how long recent executions took: none for long tasks. Under load the worker
		 * claims half of this in one statement while the other half runs. They count as RUNNING on this
		 * node meanwhile; 0 claims only for free threads.
		 */
		private int prefetch = 400;

		/**
		 * How often the worker looks for due executions when nothing wakes it. Local submissions wake it
		 * at once.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * Shortest wait between looks for due executions where other nodes' submissions cannot wake this
		 * node (H2, MariaDB, PostgreSQL without LISTEN/NOTIFY): after a look that found work the worker
		 * looks again this soon, then waits twice as long after each look that finds none, up to
		 * poll-interval. Not used with LISTEN/NOTIFY, which wakes the worker at once.
		 */
		private Duration minPollInterval = Duration.ofMillis(25);

		/**
		 * How long stopping the application waits for running executions; those still running then are
		 * handed back to READY, their attempt not counted, and interrupted.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * How long a claim holds without a heartbeat. When a node stops heartbeating (it died), any node
		 * returns its executions to READY (the lost attempt counts) once their lease expired.
		 */
		private Duration leaseTime = Duration.ofSeconds(30);

		/**
		 * How often a node extends the leases of its running executions and recovers executions whose
		 * lease expired.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		/**
		 * How often a node looks for cancel requests, made on any node, for the executions it runs.
		 */
		private Duration cancelCheckInterval = Duration.ofMillis(500);

		/**
		 * Timeout of one attempt for tasks that declare none; 0 for no timeout.
		 */
		private Duration defaultTimeout = Duration.ZERO;

		/**
		 * How long an attempt that was asked to stop (timeout, cancel, lost lease, shutdown) but ignores the
		 * interrupt keeps its lease. It is reported stuck 5 seconds after the stop (a WARN with its stack,
		 * the background.tasks.stuck gauge, health details); after this grace the node stops extending its
		 * lease, so that any node recovers the execution once the lease expires.
		 */
		private Duration stuckGrace = Duration.ofMinutes(2);

		/**
		 * How long executions that no node can run stay READY: their task is unknown to the node that claimed
		 * them, or their params cannot be bound by its version (a rolling deploy). Each such node hands them
		 * back without using an attempt, due again 5 seconds later for another node; once this long has
		 * passed since the first hand-back, the next one fails them with the binding error.
		 */
		private Duration unboundParamsGrace = Duration.ofMinutes(10);

		public Duration getStuckGrace() {
			return this.stuckGrace;
		}

		public void setStuckGrace(Duration stuckGrace) {
			this.stuckGrace = stuckGrace;
		}

		public Duration getUnboundParamsGrace() {
			return this.unboundParamsGrace;
		}

		public void setUnboundParamsGrace(Duration unboundParamsGrace) {
			this.unboundParamsGrace = unboundParamsGrace;
		}

		/**
		 * Most successful executions recorded by one statement; results that finish while a batch is
		 * being written go into the next.
		 */
		private int completionBatchSize = 400;

		/**
		 * Shortest time between two progress writes of one execution. Progress a task reports through
		 * its TaskContext in between is coalesced into the next write.
		 */
		private Duration progressInterval = Duration.ofMillis(250);

		public Duration getProgressInterval() {
			return this.progressInterval;
		}

		public void setProgressInterval(Duration progressInterval) {
			this.progressInterval = progressInterval;
		}

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

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getMinPollInterval() {
			return this.minPollInterval;
		}

		public void setMinPollInterval(Duration minPollInterval) {
			this.minPollInterval = minPollInterval;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getCancelCheckInterval() {
			return this.cancelCheckInterval;
		}

		public void setCancelCheckInterval(Duration cancelCheckInterval) {
			this.cancelCheckInterval = cancelCheckInterval;
		}

		public Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public int getCompletionBatchSize() {
			return this.completionBatchSize;
		}

		public void setCompletionBatchSize(int completionBatchSize) {
			this.completionBatchSize = completionBatchSize;
		}

	}

	public static class Retry {

		/**
		 * How many attempts an execution makes in all, the first included, for tasks that declare none.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the first retry, for tasks that declare none; later retries back off
		 * exponentially, with jitter.
		 */
		private Duration minDelay = Duration.ofSeconds(10);

		/**
		 * Longest delay between two attempts, for tasks that declare none.
		 */
		private Duration maxDelay = Duration.ofMinutes(10);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

	public static class Retention {

		/**
		 * Whether to delete finished executions past their retention.
		 */
		private boolean enabled = true;

		/**
		 * How long SUCCESSFUL executions are kept after they finished.
		 */
		private Duration successful = Duration.ofDays(7);

		/**
		 * How long FAILED and CANCELLED executions are kept after they finished.
		 */
		private Duration failed = Duration.ofDays(30);

		/**
		 * How often finished executions past their retention are deleted.
		 */
		private Duration interval = Duration.ofMinutes(10);

		/**
		 * Most executions one delete statement removes.
		 */
		private int batchSize = 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getSuccessful() {
			return this.successful;
		}

		public void setSuccessful(Duration successful) {
			this.successful = successful;
		}

		public Duration getFailed() {
			return this.failed;
		}

		public void setFailed(Duration failed) {
			this.failed = failed;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

	public static class Events {

		/**
		 * Most execution events of this node that wait for delivery to listeners (TaskExecutionListener
		 * beans, @EventListener methods) and to the event stream. Publishing never waits: an event that
		 * finds the queue full is dropped, counted in background.tasks.events.dropped, logged at WARN at
		 * most once a minute, and stream clients get a 'dropped' event telling them to re-read. Events
		 * that call listener callbacks (every status but READY) may use all of it; READY, progress and
		 * custom events nine tenths.
		 */
		private int queueCapacity = 10_000;

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	public static class Queue {

		/**
		 * Most READY executions the queue holds; past it, submissions are refused (HTTP 429 with
		 * Retry-After). 0 for no limit.
		 */
		private long capacity = 0;

		/**
		 * Most members one batch may have (TaskClient.batch() and POST /batches); a larger batch is refused
		 * before anything is stored.
		 */
		private int maxBatchSize = 10_000;

		public long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(long capacity) {
			this.capacity = capacity;
		}

		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

	}

	/**
	 * Retry settings of one task.
	 */
	public static class TaskRetry {

		/**
		 * How many attempts in all, the first included.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * Delay before the first retry.
		 */
		private @Nullable Duration minDelay;

		/**
		 * Longest delay between two attempts.
		 */
		private @Nullable Duration maxDelay;

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public @Nullable Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(@Nullable Duration minDelay) {
			this.minDelay = minDelay;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

	public static class Dashboard {

		/**
		 * Whether to serve the dashboard, on the application's own port, whenever the REST API is on.
		 */
		private boolean enabled = true;

		/**
		 * Path of the dashboard.
		 */
		private String path = "/background-tasks";

		/**
		 * Most executions one bulk cancel or retry acts on; a larger selection is refused with the count.
		 */
		private int maxBulk = 1000;

		/**
		 * Counts of executions shown by the dashboard stop at this value ("10,000+"), so that no page
		 * counts a big table row by row.
		 */
		private long countLimit = 10_000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public int getMaxBulk() {
			return this.maxBulk;
		}

		public void setMaxBulk(int maxBulk) {
			this.maxBulk = maxBulk;
		}

		public long getCountLimit() {
			return this.countLimit;
		}

		public void setCountLimit(long countLimit) {
			this.countLimit = countLimit;
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

		/**
		 * Most executions an execution listing counts; past it, the listing reports this many with
		 * "totalCapped": true, so that no page counts a big table row by row.
		 */
		private long countLimit = 1_000;

		/**
		 * How often the execution event stream sends a keep-alive comment to each client.
		 */
		private Duration streamKeepAlive = Duration.ofSeconds(15);

		/**
		 * How long one connection to the execution event stream lasts before the server ends it; clients
		 * reconnect and resume with Last-Event-ID.
		 */
		private Duration streamTimeout = Duration.ofMinutes(30);

		/**
		 * Who sees the stack traces of failed executions in REST responses: 'operators' (callers with
		 * an operate authority; everyone without Spring Security or with its checks off), 'always' or
		 * 'never'. Everyone sees the error's type and message.
		 */
		private StackTracePolicy stackTraces = StackTracePolicy.OPERATORS;

		public StackTracePolicy getStackTraces() {
			return this.stackTraces;
		}

		public void setStackTraces(StackTracePolicy stackTraces) {
			this.stackTraces = stackTraces;
		}

		/**
		 * Most clients of the execution event stream this node serves at once; more get 503 with
		 * Retry-After.
		 */
		private int maxStreamSubscribers = 200;

		/**
		 * Most long-polls (GET of an execution with 'wait') this node holds open at once; more get 503 with
		 * Retry-After.
		 */
		private int maxLongPolls = 500;

		public int getMaxStreamSubscribers() {
			return this.maxStreamSubscribers;
		}

		public void setMaxStreamSubscribers(int maxStreamSubscribers) {
			this.maxStreamSubscribers = maxStreamSubscribers;
		}

		public int getMaxLongPolls() {
			return this.maxLongPolls;
		}

		public void setMaxLongPolls(int maxLongPolls) {
			this.maxLongPolls = maxLongPolls;
		}

		public Duration getStreamKeepAlive() {
			return this.streamKeepAlive;
		}

		public void setStreamKeepAlive(Duration streamKeepAlive) {
			this.streamKeepAlive = streamKeepAlive;
		}

		public Duration getStreamTimeout() {
			return this.streamTimeout;
		}

		public void setStreamTimeout(Duration streamTimeout) {
			this.streamTimeout = streamTimeout;
		}

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

		public long getCountLimit() {
			return this.countLimit;
		}

		public void setCountLimit(long countLimit) {
			if (countLimit < 1) {
				throw new IllegalArgumentException("background-tasks.web.count-limit must be 1 or more, got " + countLimit);
			}
			this.countLimit = countLimit;
		}

	}

	public static class Security {

		/**
		 * Whether the starter checks, when Spring Security is on the classpath, that the caller of each of
		 * its endpoints holds a read or an operate authority (401 when not authenticated, 403 without the
		 * authority). When false, only the application's own security rules apply.
		 */
		private boolean enabled = true;

		/**
		 * Authorities that may read: list and describe tasks and executions, long-poll, watch the event
		 * stream. Compared exactly ('ROLE_ADMIN' is a valid value). Operate authorities may read too.
		 */
		private List<String> readAuthorities = new ArrayList<>(List.of("BACKGROUND_TASKS_READ"));

		/**
		 * Authorities that may operate, and read: execute, cancel and retry, enable and disable tasks.
		 * Compared exactly ('ROLE_ADMIN' is a valid value).
		 */
		private List<String> operateAuthorities = new ArrayList<>(List.of("BACKGROUND_TASKS_OPERATE"));

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getReadAuthorities() {
			return this.readAuthorities;
		}

		public void setReadAuthorities(List<String> readAuthorities) {
			this.readAuthorities = readAuthorities;
		}

		public List<String> getOperateAuthorities() {
			return this.operateAuthorities;
		}

		public void setOperateAuthorities(List<String> operateAuthorities) {
			this.operateAuthorities = operateAuthorities;
		}

	}

	public static class Database {

		/**
		 * Whether to create and upgrade the starter's tables with its own Flyway migrations (history
		 * table 'bgt_schema_history') at start-up.
		 */
		private boolean migrate = true;

		/**
		 * The database the starter runs on: 'auto' (told by the URL of Spring Boot's data source), 'h2'
		 * or 'postgresql'. Checked against the database itself at start-up. Set it when the data source
		 * is defined without 'spring.datasource.url', so that the PostgreSQL-only parts (LISTEN/NOTIFY
		 * wake-ups of other nodes, the cluster-wide event stream) are configured.
		 */
		private String platform = "auto";

		/**
		 * PostgreSQL: how often each connection that LISTENs for the other nodes (wake-ups, the event
		 * stream) is checked with a round trip, and how long any statement on it waits for an answer. A
		 * connection that fails is opened again, and the node then looks for the work whose wake-ups it
		 * missed. The traffic also keeps firewalls and NAT gateways from dropping the idle connection.
		 */
		private Duration listenerCheckInterval = Duration.ofSeconds(10);

		public boolean isMigrate() {
			return this.migrate;
		}

		public void setMigrate(boolean migrate) {
			this.migrate = migrate;
		}

		public String getPlatform() {
			return this.platform;
		}

		public void setPlatform(String platform) {
			this.platform = platform;
		}

		public Duration getListenerCheckInterval() {
			return this.listenerCheckInterval;
		}

		public void setListenerCheckInterval(Duration listenerCheckInterval) {
			this.listenerCheckInterval = listenerCheckInterval;
		}

	}

	public static class Scheduler {

		/**
		 * Whether this node fires schedules. Every node may: each fire time is stored once across the
		 * cluster.
		 */
		private boolean enabled = true;

		/**
		 * Longest time the scheduler sleeps between two rounds; it wakes earlier for the nearest fire
		 * time. Runtime enable/disable reaches this node within about this time.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * How late the scheduler may find a fire time due and still fire it normally. Fire times found
		 * later than this (the database was unreachable, the node paused) are a misfire, handled by the
		 * schedule's misfire rule: one catch-up or none.
		 */
		private Duration misfireThreshold = Duration.ofMinutes(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getMisfireThreshold() {
			return this.misfireThreshold;
		}

		public void setMisfireThreshold(Duration misfireThreshold) {
			this.misfireThreshold = misfireThreshold;
		}

	}

	/**
	 * Settings of one task, overriding what its annotation declares.
	 */
	public static class Task {

		/**
		 * Whether the task may run. False is a kill switch: the task cannot be submitted, its schedules
		 * do not fire, and a runtime $enable cannot override it.
		 */
		private boolean enabled = true;

		/**
		 * Cron expression replacing every schedule the task declares; '-' removes them.
		 */
		private @Nullable String cron;

		/**
		 * Time zone (IANA id) replacing the zone of the task's cron schedules.
		 */
		private @Nullable String zone;

		/**
		 * Timeout of one attempt of this task; 0 for none.
		 */
		private @Nullable Duration timeout;

		/**
		 * Whether the task may be submitted over the REST API ($execute, and $retry of its executions),
		 * replacing what the task declares; code and schedules submit it either way.
		 */
		private @Nullable Boolean remote;

		/**
		 * How many executions of the task (of each partition, with partition-by) may run at once across the
		 * cluster, replacing what the task declares; 0 for no limit.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Name of the task's parameter whose value partitions its concurrency and rate limits, replacing what
		 * the task declares; '-' applies them to the whole task.
		 */
		private @Nullable String partitionBy;

		/**
		 * Rate limit of the task (of each partition, with partition-by), such as 10/1s, 100/1m or 5000/1h:
		 * at most that many attempts start in any interval of that length, cluster-wide. Replaces what the
		 * task declares; '-' removes it.
		 */
		private @Nullable String rate;

		private final TaskRetry retry = new TaskRetry();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable String getZone() {
			return this.zone;
		}

		public void setZone(@Nullable String zone) {
			this.zone = zone;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Boolean getRemote() {
			return this.remote;
		}

		public void setRemote(@Nullable Boolean remote) {
			this.remote = remote;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable String getPartitionBy() {
			return this.partitionBy;
		}

		public void setPartitionBy(@Nullable String partitionBy) {
			this.partitionBy = partitionBy;
		}

		public @Nullable String getRate() {
			return this.rate;
		}

		public void setRate(@Nullable String rate) {
			this.rate = rate;
		}

		public TaskRetry getRetry() {
			return this.retry;
		}

	}

	public static class Metrics {

		/**
		 * How often the queue depth behind the background.tasks.queue gauges is read from the database
		 * (one grouped query per node, shared by all gauges).
		 */
		private Duration queueRefreshInterval = Duration.ofSeconds(10);

		public Duration getQueueRefreshInterval() {
			return this.queueRefreshInterval;
		}

		public void setQueueRefreshInterval(Duration queueRefreshInterval) {
			this.queueRefreshInterval = queueRefreshInterval;
		}

	}

	public static class Observation {

		/**
		 * Whether to observe every attempt with the Micrometer Observation API (observation
		 * 'background.tasks.attempt': a span with tracing, a timer with Boot's default handlers). By
		 * default, only when a Micrometer Tracing tracer is present: the per-execution meters do not need
		 * it, and on short tasks it costs more than the task.
		 */
		private @Nullable Boolean enabled;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Health {

		/**
		 * Age of the oldest due READY execution above which the backgroundTasks health indicator reports
		 * DOWN. Not checked when unset.
		 */
		private @Nullable Duration maxReadyAge;

		/**
		 * Number of RUNNING executions with an expired lease (their node stopped heartbeating and no node
		 * recovered them) above which the backgroundTasks health indicator reports DOWN. Not checked when
		 * unset.
		 */
		private @Nullable Integer maxExpiredLeases;

		public @Nullable Duration getMaxReadyAge() {
			return this.maxReadyAge;
		}

		public void setMaxReadyAge(@Nullable Duration maxReadyAge) {
			this.maxReadyAge = maxReadyAge;
		}

		public @Nullable Integer getMaxExpiredLeases() {
			return this.maxExpiredLeases;
		}

		public void setMaxExpiredLeases(@Nullable Integer maxExpiredLeases) {
			this.maxExpiredLeases = maxExpiredLeases;
		}

	}

	public static class Statistics {

		/**
		 * Whether this node records per-minute statistics (attempt outcomes and pickup latency by task)
		 * in table bgt_stats_minute, which the dashboard overview reads instead of the executions.
		 */
		private boolean enabled = true;

		/**
		 * How often this node adds what it counted in memory to its rows of bgt_stats_minute; also once
		 * when it stops.
		 */
		private Duration flushInterval = Duration.ofSeconds(5);

		/**
		 * How long rows of bgt_stats_minute are kept; the nodes delete older ones every minute. The
		 * overview charts the last hour: a day lets you look back over a night, while the table holds at
		 * most nodes x tasks x 1,440 rows.
		 */
		private Duration retention = Duration.ofHours(24);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

	}

	/**
	 * The Spring Modulith integration (when spring-modulith-events is on the classpath with an event
	 * publication registry).
	 */
	public static class Modulith {

		/**
		 * Whether to integrate with Spring Modulith's event publication registry: resubmission of
		 * incomplete publications and externalization of events to tasks.
		 */
		private boolean enabled = true;

		private final ModulithResubmission resubmission = new ModulithResubmission();

		private final ModulithExternalization externalization = new ModulithExternalization();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public ModulithResubmission getResubmission() {
			return this.resubmission;
		}

		public ModulithExternalization getExternalization() {
			return this.externalization;
		}

	}

	/**
	 * Resubmission of incomplete event publications by the task 'modulith-event-resubmission'.
	 */
	public static class ModulithResubmission {

		/**
		 * Whether a scheduled task resubmits incomplete event publications, with exponential backoff.
		 */
		private boolean enabled = true;

		/**
		 * How often the resubmission task runs (once per interval across the cluster), at least one
		 * second.
		 */
		private Duration interval = Duration.ofSeconds(30);

		/**
		 * How long after a failed delivery the publication is resubmitted for the first time; the wait
		 * doubles with every resubmission.
		 */
		private Duration minDelay = Duration.ofSeconds(30);

		/**
		 * Longest wait between two deliveries of a failing publication.
		 */
		private Duration maxDelay = Duration.ofHours(1);

		/**
		 * How many times a failing publication is resubmitted; after that it is left incomplete for an
		 * operator.
		 */
		private int maxResubmissions = 10;

		/**
		 * How long a publication may stay published or processing, with no failure reported, before it
		 * is taken for lost (its node died) and resubmitted. Longer than the slowest listener takes, time
		 * waiting for an async thread included; 0 leaves such publications to Spring Modulith's staleness
		 * monitor.
		 */
		private Duration staleAfter = Duration.ofMinutes(10);

		/**
		 * Most publications one run resubmits; the rest wait for the next run.
		 */
		private int batchSize = 100;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getMaxResubmissions() {
			return this.maxResubmissions;
		}

		public void setMaxResubmissions(int maxResubmissions) {
			this.maxResubmissions = maxResubmissions;
		}

		public Duration getStaleAfter() {
			return this.staleAfter;
		}

		public void setStaleAfter(Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

	/**
	 * Delivery of externalized events as task submissions.
	 */
	public static class ModulithExternalization {

		/**
		 * Whether events Spring Modulith externalizes (@Externalized, or the routing of an
		 * EventExternalizationConfiguration) are delivered as submissions of the task the routing target
		 * names, the event's properties as params.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
