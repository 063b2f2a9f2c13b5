package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

/**
 * The audit scenarios on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:audit-${random.uuid};DB_CLOSE_DELAY=-1")
class H2AuditTests extends AbstractAuditTests {

}
