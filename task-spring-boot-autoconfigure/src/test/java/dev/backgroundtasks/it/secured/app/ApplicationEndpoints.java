package dev.backgroundtasks.it.secured.app;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own endpoints: one under the starter's base path, which the starter leaves to the
 * application's rules, and the CSRF token for a browser client (as a server-rendered page would embed
 * it).
 */
@RestController
public class ApplicationEndpoints {

	@GetMapping("/api/v1/hello")
	String hello() {
		return "hello";
	}

	@PostMapping("/api/v1/hello")
	String helloPost() {
		return "hello";
	}

	@GetMapping("/csrf")
	CsrfToken csrf(CsrfToken token) {
		return token;
	}

}
