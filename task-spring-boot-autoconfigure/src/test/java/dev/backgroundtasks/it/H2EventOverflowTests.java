package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The event overflow scenario on embedded H2: the stream is fed in memory.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:event-overflow-${random.uuid};DB_CLOSE_DELAY=-1")
class H2EventOverflowTests extends AbstractEventOverflowTests {

}
