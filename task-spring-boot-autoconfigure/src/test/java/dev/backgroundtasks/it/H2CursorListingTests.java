package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The cursor listing scenarios on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:cursor-${random.uuid};DB_CLOSE_DELAY=-1")
class H2CursorListingTests extends AbstractCursorListingTests {

}
