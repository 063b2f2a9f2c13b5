package dev.backgroundtasks.it.secured;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application's own security filter chain, as many write one for a stateless API: HTTP Basic,
 * everything under {@code /api/} open to anyone and without CSRF protection, the rest authenticated. The
 * starter's checks still apply to its own endpoints.
 */
@Configuration(proxyBeanMethods = false)
class PermitAllApiChain {

	@Bean
	SecurityFilterChain apiChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/**")
			.permitAll()
			.anyRequest()
			.authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
			.build();
	}

}
