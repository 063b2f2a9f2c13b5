package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The exposure scenarios on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:exposure-${random.uuid};DB_CLOSE_DELAY=-1")
class H2ExposureTests extends AbstractExposureTests {

}
