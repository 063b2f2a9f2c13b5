package dev.backgroundtasks.it.app;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.JdbcProgressStore;
import dev.backgroundtasks.execution.ProgressStore;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The starter's progress store, counting its writes per execution; replaces the auto-configured one.
 */
@Component
public class CountingProgressStore implements ProgressStore {

	private final Map<UUID, AtomicInteger> writes = new ConcurrentHashMap<>();

	private final ProgressStore delegate;

	public CountingProgressStore(DataSource dataSource) {
		this.delegate = new JdbcProgressStore(new JdbcTemplate(dataSource));
	}

	@Override
	public boolean write(ClaimedExecution claim, ExecutionProgress progress) {
		this.writes.computeIfAbsent(claim.id(), (id) -> new AtomicInteger()).incrementAndGet();
		return this.delegate.write(claim, progress);
	}

	/**
	 * @param id an execution id
	 * @return how many progress writes it caused
	 */
	public int writesOf(UUID id) {
		AtomicInteger count = this.writes.get(id);
		return (count != null) ? count.get() : 0;
	}

}
