package dev.backgroundtasks.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where the CPU went between {@link #start()} and {@link #since()}, in milliseconds: this JVM's, its
 * threads' by group (the name without its numbers: {@code http-nio-exec}, {@code bgt-events}; what the
 * threads do not account for is GC and the JIT compilers), the PostgreSQL backends of this JVM's
 * database (read from {@code /proc/<pid>/stat}, so only for a server on this machine; each backend alive
 * at both ends), and the whole machine's busy time from {@code /proc/stat}, so that other work shows.
 */
final class CpuUsage {

	/** Linux reports process times in ticks of 1/100 s ({@code USER_HZ}). */
	private static final long TICK_MILLIS = 10;

	private final JdbcTemplate jdbc;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private volatile Snapshot start = new Snapshot(0, 0, Map.of(), Map.of(), Map.of(), "n/a");

	CpuUsage(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	void start() {
		this.start = snapshot();
	}

	/**
	 * @return the CPU used since {@link #start()}, as figures for {@link Bench#result}
	 */
	Map<String, Object> since() {
		Snapshot end = snapshot();
		Snapshot begin = this.start;
		Map<String, Object> figures = new TreeMap<>();
		long jvm = (end.processNanos - begin.processNanos) / 1_000_000;
		figures.put("cpu.jvm", jvm);
		Map<String, Long> groups = new TreeMap<>();
		end.threadNanos.forEach((id, nanos) -> groups.merge(group(end.threadNames.get(id)),
				nanos - begin.threadNanos.getOrDefault(id, 0L), Long::sum));
		long inThreads = 0;
		for (Map.Entry<String, Long> group : groups.entrySet()) {
			long millis = group.getValue() / 1_000_000;
			inThreads += millis;
			if (millis > 0) {
				figures.put("cpu.thread." + group.getKey(), millis);
			}
		}
		figures.put("cpu.jvm-internal", jvm - inThreads);
		long backends = 0;
		for (Map.Entry<Long, Long> backend : end.backendTicks.entrySet()) {
			Long before = begin.backendTicks.get(backend.getKey());
			if (before != null) {
				backends += backend.getValue() - before;
			}
		}
		figures.put("cpu.postgres-backends", backends * TICK_MILLIS);
		figures.put("cpu.machine-busy", (end.machineBusyTicks - begin.machineBusyTicks) * TICK_MILLIS);
		figures.put("load-at-start", begin.load.replace(", ", "/"));
		return figures;
	}

	private Snapshot snapshot() {
		Map<Long, Long> threadNanos = new HashMap<>();
		Map<Long, String> threadNames = new HashMap<>();
		for (ThreadInfo info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info != null) {
				long nanos = this.threads.getThreadCpuTime(info.getThreadId());
				if (nanos >= 0) {
					threadNanos.put(info.getThreadId(), nanos);
					threadNames.put(info.getThreadId(), info.getThreadName());
				}
			}
		}
		Map<Long, Long> backendTicks = new HashMap<>();
		List<Long> pids = this.jdbc.queryForList(
				"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", Long.class);
		for (long pid : pids) {
			long ticks = processTicks(pid);
			if (ticks >= 0) {
				backendTicks.put(pid, ticks);
			}
		}
		return new Snapshot(this.os.getProcessCpuTime(), machineBusyTicks(), threadNanos, threadNames, backendTicks,
				MachineLoad.averages());
	}

	/** {@code http-nio-8080-exec-3} and {@code http-nio-8081-exec-1} are both {@code http-nio-exec}. */
	static String group(String name) {
		String group = name.replaceAll("[-_#]?\\d+", "").trim();
		return group.isEmpty() ? "unnamed" : group.replace(' ', '_');
	}

	/** utime + stime of a process, in ticks; -1 when unreadable. */
	private static long processTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command may hold spaces: fields count from the last ')'.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** Busy ticks of all cores together: everything but idle and iowait. */
	private static long machineBusyTicks() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < fields.length && i <= 8; i++) {
				if (i != 4 && i != 5) {
					busy += Long.parseLong(fields[i]);
				}
			}
			return busy;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	private record Snapshot(long processNanos, long machineBusyTicks, Map<Long, Long> threadNanos,
			Map<Long, String> threadNames, Map<Long, Long> backendTicks, String load) {

	}

}
