package dev.backgroundtasks.it;

import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:unclaimable-${random.uuid};DB_CLOSE_DELAY=-1")
class H2UnclaimableTasksTests extends AbstractUnclaimableTasksTests {

}
