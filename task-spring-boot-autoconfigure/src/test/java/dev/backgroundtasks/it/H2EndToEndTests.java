package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The end-to-end scenarios on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:e2e-${random.uuid};DB_CLOSE_DELAY=-1")
class H2EndToEndTests extends AbstractEndToEndTests {

}
