package dev.backgroundtasks.it.secured;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application's own security filter chain for browsers: form login with an HTTP session, everything
 * authenticated, CSRF protection on. The expected token is kept in the session, or with
 * {@code test.csrf-cookie=true} in an {@code XSRF-TOKEN} cookie that scripts read (Spring Security's
 * single-page application set-up).
 */
@Configuration(proxyBeanMethods = false)
class FormLoginChain {

	@Bean
	SecurityFilterChain formLogin(HttpSecurity http, @Value("${test.csrf-cookie:false}") boolean csrfCookie) {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults());
		if (csrfCookie) {
			http.csrf(CsrfConfigurer::spa);
		}
		return http.build();
	}

}
