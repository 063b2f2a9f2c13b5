package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * Task context scenarios on embedded H2: events reach the stream in process.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:ctx-${random.uuid};DB_CLOSE_DELAY=-1")
class H2TaskContextTests extends AbstractTaskContextTests {

}
