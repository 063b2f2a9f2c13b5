package dev.backgroundtasks.it.scan;

import dev.backgroundtasks.it.app.TestTasks;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * An application that declares its own {@code @EntityScan}, which replaces Boot's package scanning.
 */
@SpringBootApplication
@EntityScan("dev.backgroundtasks.it.app")
@EnableJpaRepositories("dev.backgroundtasks.it.app")
@Import(TestTasks.class)
public class EntityScanApplication {

}
