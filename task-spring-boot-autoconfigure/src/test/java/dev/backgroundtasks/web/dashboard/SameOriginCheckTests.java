package dev.backgroundtasks.web.dashboard;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SameOriginCheck}: which dashboard requests pass, by their method and by what the
 * browser says of where they come from. The server is {@code http://dashboard.example:8080}.
 */
class SameOriginCheckTests {

	private final SameOriginCheck check = new SameOriginCheck();

	@ParameterizedTest
	@ValueSource(strings = { "GET", "HEAD" })
	void readsPassWhereverTheyComeFrom(String method) throws Exception {
		MockHttpServletRequest request = request(method, "cross-site", "http://evil.example");
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.check.preHandle(request, response, new Object())).isTrue();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "same-origin", "none" })
	void aPostTheBrowserSaysIsFromThisOriginPasses(String site) throws Exception {
		assertPasses(request("POST", site, null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "cross-site", "same-site", "something-new" })
	void aPostTheBrowserSaysIsFromAnotherSiteIsRefused(String site) throws Exception {
		MockHttpServletResponse response = assertRefused(request("POST", site, null));
		assertThat(response.getContentAsString()).contains("Sec-Fetch-Site: " + site);
	}

	@Test
	void sameOriginSiteHeaderDoesNotOutweighAnOriginOfAnotherHost() throws Exception {
		assertRefused(request("POST", "same-origin", "http://evil.example:8080"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://dashboard.example:8080", "HTTP://Dashboard.Example:8080" })
	void aPostFromTheSameSchemeHostAndPortPasses(String origin) throws Exception {
		assertPasses(request("POST", null, origin));
		assertPasses(request("POST", "same-origin", origin));
	}

	@Test
	void anOriginWithoutAPortMeansTheSchemesDefaultPort() throws Exception {
		MockHttpServletRequest http = request("POST", null, "http://dashboard.example");
		http.setServerPort(80);
		assertPasses(http);
		MockHttpServletRequest https = request("POST", null, "https://dashboard.example");
		https.setScheme("https");
		https.setServerPort(443);
		assertPasses(https);
		MockHttpServletRequest notDefault = request("POST", null, "http://dashboard.example");
		assertRefused(notDefault);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://dashboard.example:8081", "http://evil.example:8080", "https://dashboard.example:8080",
			"http://dashboard.example.evil.example:8080", "http://evil.example" })
	void aPostFromAnotherPortHostOrSchemeIsRefused(String origin) throws Exception {
		MockHttpServletResponse response = assertRefused(request("POST", null, origin));
		assertThat(response.getContentAsString()).contains("Origin: " + origin);
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", "not a url", "dashboard.example:8080", "http://", "http://dash board.example:8080",
			"file:///etc/passwd", ":8080" })
	void aMalformedOrOpaqueOriginIsRefused(String origin) throws Exception {
		assertRefused(request("POST", null, origin));
	}

	@Test
	void aPostWithoutEitherHeaderIsNotFromABrowserAndPasses() throws Exception {
		assertPasses(request("POST", null, null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "PUT", "DELETE", "PATCH" })
	void otherWritesAreCheckedLikePosts(String method) throws Exception {
		assertRefused(request(method, "cross-site", null));
		assertPasses(request(method, "same-origin", "http://dashboard.example:8080"));
	}

	private void assertPasses(MockHttpServletRequest request) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.check.preHandle(request, response, new Object())).isTrue();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEmpty();
	}

	private MockHttpServletResponse assertRefused(MockHttpServletRequest request) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.check.preHandle(request, response, new Object())).isFalse();
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentType()).startsWith("text/plain");
		assertThat(response.getContentAsString()).startsWith("Refused: ");
		return response;
	}

	private static MockHttpServletRequest request(String method, @Nullable String site, @Nullable String origin) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/background-tasks/tasks/add/run");
		request.setScheme("http");
		request.setServerName("dashboard.example");
		request.setServerPort(8080);
		if (site != null) {
			request.addHeader("Sec-Fetch-Site", site);
		}
		if (origin != null) {
			request.addHeader("Origin", origin);
		}
		return request;
	}

}
