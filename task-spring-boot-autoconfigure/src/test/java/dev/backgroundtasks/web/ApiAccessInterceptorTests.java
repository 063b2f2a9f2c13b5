package dev.backgroundtasks.web;

import java.util.List;

import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ApiAccessInterceptor}.
 */
class ApiAccessInterceptorTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ApiAccessInterceptor interceptor = new ApiAccessInterceptor(
			new SpringSecurityApiAccess(SecurityContextHolder.getContextHolderStrategy(), List.of("READER"),
					List.of("OPERATOR")),
			this.mapper);

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void answersAnUnauthenticatedReadWith401NamingTheAuthorities() throws Exception {
		assertThat(preHandle("GET", TaskQueryController.class)).isFalse();
		JsonNode problem = problem(401);
		assertThat(problem.get("title").asString()).isEqualTo("Authentication required");
		assertThat(problem.get("detail").asString()).isEqualTo(
				"Log in to read background tasks: this needs an authenticated user holding one of the authorities"
						+ " [READER, OPERATOR]");
		assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/x");
		assertThat(problem.get("requiredAuthorities").valueStream().map(JsonNode::asString))
			.containsExactly("READER", "OPERATOR");
	}

	@Test
	void takesAnAnonymousAuthenticationForNone() throws Exception {
		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS", "OPERATOR")));
		assertThat(preHandle("POST", TaskCommandController.class)).isFalse();
		assertThat(problem(401).get("detail").asString()).startsWith("Log in to operate background tasks")
			.endsWith("[OPERATOR]");
	}

	@Test
	void answersAMissingAuthorityWith403NamingUserAuthoritiesAndProperties() throws Exception {
		authenticate("ada");
		assertThat(preHandle("GET", ExecutionStreamController.class)).isFalse();
		assertThat(problem(403).get("detail").asString()).isEqualTo("User 'ada' may not read background tasks: this"
				+ " needs one of the authorities [READER, OPERATOR] (background-tasks.security.read-authorities and"
				+ " operate-authorities)");
	}

	@Test
	void readersReadButDoNotOperate() throws Exception {
		authenticate("ada", "READER");
		assertThat(preHandle("GET", TaskQueryController.class)).isTrue();
		assertThat(preHandle("HEAD", TaskQueryController.class)).isTrue();
		assertThat(preHandle("POST", TaskSwitchController.class)).isFalse();
		JsonNode problem = problem(403);
		assertThat(problem.get("title").asString()).isEqualTo("Missing authority");
		assertThat(problem.get("detail").asString()).isEqualTo("User 'ada' may not operate background tasks"
				+ " (execute, cancel, retry, enable, disable): this needs one of the authorities [OPERATOR]"
				+ " (background-tasks.security.operate-authorities)");
	}

	@Test
	void operatorsOperateAndRead() throws Exception {
		authenticate("ada", "OPERATOR");
		assertThat(preHandle("POST", TaskCommandController.class)).isTrue();
		assertThat(preHandle("GET", ExecutionStreamController.class)).isTrue();
		assertThat(this.response.getStatus()).isEqualTo(200);
	}

	@Test
	void leavesTheApplicationsHandlersAlone() throws Exception {
		assertThat(preHandle("POST", ApplicationController.class)).isTrue();
		assertThat(this.interceptor.preHandle(request("GET"), this.response, new Object())).isTrue();
		assertThat(this.response.getStatus()).isEqualTo(200);
	}

	@Test
	void doesNotCheckAgainWhenAnAsyncRequestResumes() throws Exception {
		MockHttpServletRequest request = request("GET");
		request.setDispatcherType(DispatcherType.ASYNC);
		assertThat(this.interceptor.preHandle(request, this.response, handler(TaskQueryController.class))).isTrue();
	}

	private boolean preHandle(String method, Class<?> controller) throws Exception {
		return this.interceptor.preHandle(request(method), this.response, handler(controller));
	}

	private JsonNode problem(int status) throws Exception {
		assertThat(this.response.getStatus()).isEqualTo(status);
		assertThat(this.response.getContentType()).isEqualTo("application/problem+json");
		JsonNode problem = this.mapper.readTree(this.response.getContentAsByteArray());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		return problem;
	}

	private static void authenticate(String name, String... authorities) {
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(name, "secret", authorities));
	}

	private static MockHttpServletRequest request(String method) {
		return new MockHttpServletRequest(method, "/api/v1/x");
	}

	private static HandlerMethod handler(Class<?> controller) throws NoSuchMethodException {
		return new HandlerMethod(mock(controller), Object.class.getMethod("toString"));
	}

	static class ApplicationController {

	}

}
