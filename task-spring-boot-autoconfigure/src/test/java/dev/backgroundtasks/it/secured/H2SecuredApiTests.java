package dev.backgroundtasks.it.secured;

import org.springframework.test.context.TestPropertySource;

/**
 * Access to every endpoint on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:secured-${random.uuid};DB_CLOSE_DELAY=-1")
class H2SecuredApiTests extends AbstractSecuredApiTests {

}
