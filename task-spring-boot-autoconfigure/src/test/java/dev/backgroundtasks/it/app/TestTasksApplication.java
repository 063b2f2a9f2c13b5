package dev.backgroundtasks.it.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application as a user writes it: its own entity, repository and Flyway migration beside the
 * starter's.
 */
@SpringBootApplication
public class TestTasksApplication {

}
