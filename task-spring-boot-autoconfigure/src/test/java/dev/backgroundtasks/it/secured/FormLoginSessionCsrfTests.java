package dev.backgroundtasks.it.secured;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSRF token kept in the session (Spring Security's default), sent in the {@code X-CSRF-TOKEN}
 * header as a page gets it from the {@code _csrf} request attribute (here from the application's
 * {@code GET /csrf}).
 */
class FormLoginSessionCsrfTests extends AbstractFormLoginCsrfTests {

	@Override
	String[] csrfHeader(SecuredHttp browser) {
		JsonNode token = browser.get("/csrf").json();
		assertThat(token.get("headerName").asString()).isEqualTo("X-CSRF-TOKEN");
		return new String[] { "X-CSRF-TOKEN", token.get("token").asString() };
	}

}
