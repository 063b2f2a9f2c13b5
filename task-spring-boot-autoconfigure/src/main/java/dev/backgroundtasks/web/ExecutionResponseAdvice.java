package dev.backgroundtasks.web;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.execution.ExecutionPage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Shapes every execution the REST API answers with, whichever endpoint: the values of sensitive
 * parameters ({@code @TaskParam(sensitive = true)}) show as {@value TaskParam#MASK}, and the stack
 * trace of an error, of the execution or of one of its attempts, is emptied unless the
 * {@link StackTracePolicy} lets the caller see it. What is stored does not change.
 */
@RestControllerAdvice(assignableTypes = { TaskQueryController.class, TaskCommandController.class })
public class ExecutionResponseAdvice implements ResponseBodyAdvice<Object> {

	private final TaskRegistry registry;

	private final StackTracePolicy stackTraces;

	private final ApiAccess access;

	/**
	 * @param registry tells which parameters of each task are sensitive
	 * @param stackTraces who sees stack traces
	 * @param access who calls
	 */
	public ExecutionResponseAdvice(TaskRegistry registry, StackTracePolicy stackTraces, ApiAccess access) {
		this.registry = registry;
		this.stackTraces = stackTraces;
		this.access = access;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body instanceof Execution execution) {
			return shown(execution, showStackTraces(), new HashMap<>());
		}
		if (body instanceof ExecutionPage page) {
			boolean stackTraces = showStackTraces();
			// The sensitive parameters of each task are looked up once per page, not per execution.
			Map<String, Set<String>> sensitive = new HashMap<>();
			return page
				.withContent(page.content().stream().map((execution) -> shown(execution, stackTraces, sensitive)).toList());
		}
		if (body instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof ExecutionAttempt) {
			boolean stackTraces = showStackTraces();
			return list.stream().map((attempt) -> shown((ExecutionAttempt) attempt, stackTraces)).toList();
		}
		return body;
	}

	/**
	 * @param execution an execution
	 * @return the execution as the caller of the current request may see it
	 */
	public Execution shown(Execution execution) {
		return shown(execution, showStackTraces(), new HashMap<>());
	}

	/**
	 * @param attempts the attempts of an execution
	 * @return the attempts as the caller of the current request may see them
	 */
	public List<ExecutionAttempt> shown(List<ExecutionAttempt> attempts) {
		boolean stackTraces = showStackTraces();
		return attempts.stream().map((attempt) -> shown(attempt, stackTraces)).toList();
	}

	private boolean showStackTraces() {
		return switch (this.stackTraces) {
			case ALWAYS -> true;
			case NEVER -> false;
			case OPERATORS -> this.access.isOperator();
		};
	}

	private Execution shown(Execution execution, boolean stackTraces, Map<String, Set<String>> sensitive) {
		Map<String, Object> params = masked(
				sensitive.computeIfAbsent(execution.task(), this::sensitiveParameters), execution.params());
		ExecutionError error = shown(execution.error(), stackTraces);
		if (params == execution.params() && error == execution.error()) {
			return execution;
		}
		return new Execution(execution.id(), execution.task(), execution.status(), execution.trigger(), params,
				execution.result(), error, execution.attempt(), execution.maxAttempts(), execution.priority(),
				execution.key(), execution.progress(), execution.createdAt(), execution.runAt(), execution.startedAt(),
				execution.finishedAt(), execution.node(), execution.cancelRequested(), execution.retryOf(),
				execution.submittedBy(), execution.cancelledBy(), execution.snoozes(), execution.after(),
				execution.batchId());
	}

	private static ExecutionAttempt shown(ExecutionAttempt attempt, boolean stackTraces) {
		ExecutionError error = shown(attempt.error(), stackTraces);
		return (error == attempt.error()) ? attempt : new ExecutionAttempt(attempt.attempt(), attempt.node(),
				attempt.startedAt(), attempt.finishedAt(), attempt.outcome(), error);
	}

	private static @Nullable ExecutionError shown(@Nullable ExecutionError error, boolean stackTraces) {
		if (error != null && !stackTraces && !error.stackTrace().isEmpty()) {
			return new ExecutionError(error.type(), error.message(), "");
		}
		return error;
	}

	private Set<String> sensitiveParameters(String task) {
		return this.registry.find(task)
			.map((info) -> info.parameters()
				.stream()
				.filter(TaskParameterInfo::sensitive)
				.map(TaskParameterInfo::name)
				.collect(Collectors.toUnmodifiableSet()))
			.orElse(Set.of());
	}

	private static Map<String, Object> masked(Set<String> sensitive, Map<String, Object> params) {
		Map<String, Object> masked = params;
		for (String name : sensitive) {
			if (params.containsKey(name)) {
				if (masked == params) {
					masked = new LinkedHashMap<>(params);
				}
				masked.put(name, TaskParam.MASK);
			}
		}
		return masked;
	}

}
