package dev.backgroundtasks.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One target scenario in its own JVM: same class path and heap for every target, output copied to a log
 * file, the {@code BENCH-READY} and {@code BENCH-RESULT} lines picked out.
 */
final class ChildJvm {

	private final Process process;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final CompletableFuture<Map<String, String>> result = new CompletableFuture<>();

	private final String name;

	private ChildJvm(Process process, Path log, String name) {
		this.process = process;
		this.name = name;
		Thread reader = new Thread(() -> read(log), "child-" + name);
		reader.setDaemon(true);
		reader.start();
	}

	static ChildJvm start(String mainClass, String scenario, Map<String, String> properties, Path logDir, String name)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		for (String arg : Bench.str("jvmArgs", "-Xms1g -Xmx2g -XX:+UseG1GC").trim().split("\\s+")) {
			command.add(arg);
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		System.getProperties().stringPropertyNames().stream()
			.filter((key) -> key.startsWith("bench.") || key.startsWith("background-tasks."))
			.filter((key) -> !properties.containsKey(key))
			.sorted()
			.forEach((key) -> command.add("-D" + key + "=" + System.getProperty(key)));
		properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
		command.add("dev.backgroundtasks.benchmarks." + mainClass);
		command.add(scenario);
		Files.createDirectories(logDir);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		return new ChildJvm(process, logDir.resolve(name + ".log"), name);
	}

	private void read(Path log) {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
			String line;
			while ((line = lines.readLine()) != null) {
				out.println(line);
				if (line.equals(Bench.READY)) {
					this.ready.complete(null);
				}
				else if (line.startsWith(Bench.RESULT)) {
					Map<String, String> figures = new LinkedHashMap<>();
					for (String pair : line.substring(Bench.RESULT.length()).trim().split(" ")) {
						int eq = pair.indexOf('=');
						figures.put(pair.substring(0, eq), pair.substring(eq + 1));
					}
					this.result.complete(figures);
				}
			}
		}
		catch (IOException ex) {
			this.result.completeExceptionally(ex);
		}
		this.ready.completeExceptionally(new IllegalStateException(this.name + " ended before it was ready"));
		this.result.completeExceptionally(new IllegalStateException(this.name + " ended without a result; see its log"));
	}

	void awaitReady(long seconds) throws Exception {
		this.ready.get(seconds, TimeUnit.SECONDS);
	}

	/** Waits for the result only: the JVM may still be shutting down. */
	Map<String, String> awaitResultLine(long seconds) throws Exception {
		return this.result.get(seconds, TimeUnit.SECONDS);
	}

	/** Waits for the result and for the JVM to exit (so its connections are closed and their stats flushed). */
	Map<String, String> awaitResult(long seconds) throws Exception {
		try {
			Map<String, String> figures = this.result.get(seconds, TimeUnit.SECONDS);
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException(this.name + " did not exit after its result");
			}
			return figures;
		}
		finally {
			stop();
		}
	}

	void stop() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
	}

}
