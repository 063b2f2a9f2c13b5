package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The bad-input scenarios on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:bad-input-${random.uuid};DB_CLOSE_DELAY=-1")
class H2BadInputTests extends AbstractBadInputTests {

}
