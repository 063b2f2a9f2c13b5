package dev.backgroundtasks.it.secured.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * An application with Spring Security and in-memory users, one per level of access to the starter's
 * endpoints; each test brings its own security filter chain, or none for Boot's default one. Every
 * password is {@value #PASSWORD}.
 */
@SpringBootApplication
public class SecuredTasksApplication {

	/** The password of every user. */
	public static final String PASSWORD = "secret";

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(user("nobody"), user("reader", "BACKGROUND_TASKS_READ"),
				user("operator", "BACKGROUND_TASKS_OPERATE"), user("admin", "ROLE_ADMIN"),
				user("auditor", "ROLE_AUDITOR"));
	}

	private static UserDetails user(String name, String... authorities) {
		return User.withUsername(name).password("{noop}" + PASSWORD).authorities(authorities).build();
	}

}
