package dev.backgroundtasks.it.secured;

import dev.backgroundtasks.it.secured.SecuredHttp.Response;
import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles as the authorities of each level: compared exactly, so {@code ROLE_ADMIN} (Spring Security's
 * {@code roles("ADMIN")}) operates, and the default authorities no longer do anything.
 */
@SpringBootTest(classes = { SecuredTasksApplication.class, PermitAllApiChain.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=", "background-tasks.security.read-authorities=ROLE_AUDITOR",
				"background-tasks.security.operate-authorities=ROLE_ADMIN",
				"spring.datasource.url=jdbc:h2:mem:roles-${random.uuid};DB_CLOSE_DELAY=-1" })
class CustomAuthoritiesTests {

	@LocalServerPort
	int port;

	@Test
	void configuredAuthoritiesGrantAccess() {
		assertThat(SecuredHttp.basic(this.port, "admin").post("/api/v1/tasks/greet/$execute", null, null).status())
			.isEqualTo(202);
		SecuredHttp auditor = SecuredHttp.basic(this.port, "auditor");
		assertThat(auditor.get("/api/v1/executions").status()).isEqualTo(200);
		Response refused = auditor.post("/api/v1/tasks/greet/$execute", null, null);
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().get("detail").asString()).contains("[ROLE_ADMIN]");
	}

	@Test
	void defaultAuthoritiesNoLongerGrantAnything() {
		Response operator = SecuredHttp.basic(this.port, "operator").get("/api/v1/tasks");
		assertThat(operator.status()).isEqualTo(403);
		assertThat(operator.json().get("detail").asString()).contains("[ROLE_AUDITOR, ROLE_ADMIN]");
	}

}
