package dev.backgroundtasks.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.web.SpringSecurityApiAccess.Level;
import dev.backgroundtasks.web.dashboard.DashboardExecutionController;
import dev.backgroundtasks.web.dashboard.DashboardOverviewController;
import dev.backgroundtasks.web.dashboard.DashboardTaskController;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks, before a handler of the starter's own controllers (the REST API and the dashboard) runs, that
 * the caller may read ({@code GET}, the event stream included) or operate (every {@code POST}: execute,
 * cancel, retry, enable, disable).
 * It adds to the application's security filter chain and replaces nothing: the chain authenticates the
 * request and applies the application's rules first; a request that gets here without an authentication
 * is answered 401, one without the authority 403, both as RFC 9457 problems naming the authorities
 * needed. Handlers of the application's own controllers are left alone, whatever their path.
 */
public class ApiAccessInterceptor implements HandlerInterceptor {

	private static final List<Class<?>> CONTROLLERS = List.of(TaskQueryController.class, TaskCommandController.class,
			TaskSwitchController.class, ExecutionStreamController.class, BatchQueryController.class,
			DashboardOverviewController.class,
			DashboardTaskController.class, DashboardExecutionController.class);

	private static final String OPERATIONS = "operate background tasks (execute, cancel, retry, enable, disable)";

	private final SpringSecurityApiAccess access;

	private final JsonMapper mapper;

	/**
	 * @param access who the caller is and what they may do
	 * @param mapper writes the problems
	 */
	public ApiAccessInterceptor(SpringSecurityApiAccess access, JsonMapper mapper) {
		this.access = access;
		this.mapper = mapper;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		// An async dispatch (long-poll, event stream) resumes a request that was checked when it started.
		if (request.getDispatcherType() == DispatcherType.ASYNC || !isApiHandler(handler)) {
			return true;
		}
		boolean operate = !HttpMethod.GET.matches(request.getMethod()) && !HttpMethod.HEAD.matches(request.getMethod());
		List<String> needed = operate ? this.access.operateAuthorities() : this.access.readAuthorities();
		Level level = this.access.level();
		if (level == null) {
			reject(request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
					"Log in to " + (operate ? OPERATIONS : "read background tasks")
							+ ": this needs an authenticated user holding one of the authorities " + needed,
					needed);
			return false;
		}
		if (level == Level.OPERATE || (level == Level.READ && !operate)) {
			return true;
		}
		reject(request, response, HttpStatus.FORBIDDEN, "Missing authority",
				"User '" + this.access.principalName() + "' may not " + (operate ? OPERATIONS : "read background tasks")
						+ ": this needs one of the authorities " + needed + " (background-tasks.security."
						+ (operate ? "operate-authorities" : "read-authorities and operate-authorities") + ")",
				needed);
		return false;
	}

	private static boolean isApiHandler(Object handler) {
		return handler instanceof HandlerMethod method
				&& CONTROLLERS.stream().anyMatch((type) -> type.isAssignableFrom(method.getBeanType()));
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
			String detail, List<String> needed) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		problem.put("requiredAuthorities", needed);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(this.mapper.writeValueAsBytes(problem));
	}

}
