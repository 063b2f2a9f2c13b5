package dev.backgroundtasks.it.secured;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSRF token in the {@code XSRF-TOKEN} cookie ({@code CookieCsrfTokenRepository}, as
 * {@code csrf.spa()} sets it up), sent back in the {@code X-XSRF-TOKEN} header.
 */
@TestPropertySource(properties = "test.csrf-cookie=true")
class FormLoginCookieCsrfTests extends AbstractFormLoginCsrfTests {

	@Override
	String[] csrfHeader(SecuredHttp browser) {
		String token = browser.cookie("XSRF-TOKEN");
		assertThat(token).isNotBlank();
		return new String[] { "X-XSRF-TOKEN", token };
	}

}
