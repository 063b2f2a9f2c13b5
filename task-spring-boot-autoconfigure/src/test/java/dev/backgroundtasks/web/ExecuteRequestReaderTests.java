package dev.backgroundtasks.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.command.Submission;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExecuteRequestReader}: which bodies and content types {@code $execute} takes.
 */
class ExecuteRequestReaderTests {

	private final ExecuteRequestReader reader = new ExecuteRequestReader(JsonMapper.builder().build(),
			DataSize.ofKilobytes(64));

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/json;charset=UTF-8", "Application/JSON; charset=utf-8" })
	void readsAJsonBody(String contentType) throws Exception {
		Submission submission = this.reader.read("add", request(contentType, "{\"params\":{\"a\":1},\"priority\":3}"));
		assertThat(submission.params().get("a").asInt()).isEqualTo(1);
		assertThat(submission.priority()).isEqualTo(3);
	}

	@Test
	void runsWithDefaultsWithoutBodyAndContentType() throws Exception {
		assertThat(this.reader.read("add", request(null, null)).params().isEmpty()).isTrue();
	}

	@Test
	void runsWithDefaultsForAnEmptyJsonBody() throws Exception {
		assertThat(this.reader.read("add", request("application/json", "")).params().isEmpty()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain",
			"text/plain;charset=UTF-8", "application/xml", "application/problem+json", "not a media type" })
	void refusesEveryOtherContentTypeWith415NamingJson(String contentType) {
		assertUnsupported(request(contentType, "{\"params\":{\"a\":1}}"), "got Content-Type '" + contentType + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain" })
	void refusesAFormContentTypeEvenWithoutBody(String contentType) {
		// An empty cross-site form, or one whose body a servlet filter already read as parameters.
		assertUnsupported(request(contentType, null), "got Content-Type");
	}

	@Test
	void readsTheExecutionsToWaitForAndRefusesWhatIsNoId() throws Exception {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		assertThat(this.reader.read("add", request("application/json",
				"{\"after\":[\"" + first + "\",\"" + second + "\",\"" + first + "\"]}")).after())
			.as("in order, once each")
			.containsExactly(first, second);
		assertThat(this.reader.read("add", request("application/json", "{\"after\":null}")).after()).isEmpty();
		for (String bad : List.of("\"x\"", "[1]", "[\"nope\"]", "{}")) {
			assertThatExceptionOfType(InvalidRequestException.class)
				.isThrownBy(() -> this.reader.read("add", request("application/json", "{\"after\":" + bad + "}")))
				.withMessageContaining("'after' must be an array of execution ids");
		}
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> this.reader.read("add", request("application/json",
					"{\"after\":[\"" + first + "\"],\"key\":\"k\"}")))
			.withMessageContaining("either after or key");
	}

	@Test
	void refusesABodyWithoutContentType() {
		assertUnsupported(request(null, "{\"params\":{}}"), "got a body without a Content-Type");
	}

	private void assertUnsupported(MockHttpServletRequest request, String detail) {
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.reader.read("add", request))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE))
			.withMessageContaining("Content-Type: application/json")
			.withMessageContaining(detail);
	}

	private static MockHttpServletRequest request(@Nullable String contentType, @Nullable String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/tasks/add/$execute");
		if (contentType != null) {
			request.setContentType(contentType);
		}
		if (body != null) {
			request.setContent(body.getBytes(StandardCharsets.UTF_8));
		}
		return request;
	}

}
