package dev.backgroundtasks.compatibility;

import org.springframework.test.context.TestPropertySource;

/**
 * The scenarios on the embedded H2 database, as a new application has it.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:compatibility;DB_CLOSE_DELAY=-1")
class H2CompatibilityTests extends AbstractCompatibilityTests {

}
