package dev.backgroundtasks.modulith.it;

import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:modulith-${random.uuid};DB_CLOSE_DELAY=-1")
class H2ModulithIntegrationTests extends AbstractModulithIntegrationTests {

}
