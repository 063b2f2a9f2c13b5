package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The per-minute statistics end to end on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:statistics-${random.uuid};DB_CLOSE_DELAY=-1")
class H2StatisticsTests extends AbstractStatisticsTests {

}
