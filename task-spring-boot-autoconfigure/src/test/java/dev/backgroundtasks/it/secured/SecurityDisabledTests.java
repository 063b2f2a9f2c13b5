package dev.backgroundtasks.it.secured;

import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import dev.backgroundtasks.web.ApiAccess;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code background-tasks.security.enabled=false}: the application's own rules alone decide, here
 * {@link PermitAllApiChain}'s, which let anyone call the API.
 */
@SpringBootTest(classes = { SecuredTasksApplication.class, PermitAllApiChain.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=", "background-tasks.security.enabled=false",
				"spring.datasource.url=jdbc:h2:mem:security-off-${random.uuid};DB_CLOSE_DELAY=-1" })
class SecurityDisabledTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiAccess access;

	@Test
	void leavesEveryEndpointToTheApplicationsRules() {
		SecuredHttp anonymous = SecuredHttp.anonymous(this.port);
		assertThat(anonymous.get("/api/v1/tasks").status()).isEqualTo(200);
		assertThat(anonymous.post("/api/v1/tasks/greet/$execute", null, null).status()).isEqualTo(202);
		assertThat(SecuredHttp.basic(this.port, "nobody").post("/api/v1/tasks/quiet/$disable", null, null).status())
			.isEqualTo(200);
		assertThat(SecuredHttp.basic(this.port, "nobody").post("/api/v1/tasks/quiet/$enable", null, null).status())
			.isEqualTo(200);
	}

	@Test
	void everyoneIsAnOperator() {
		assertThat(this.access.isOperator()).isTrue();
	}

}
