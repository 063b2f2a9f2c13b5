package dev.backgroundtasks.test;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The test clock on H2 (an in-memory database of the context's own).
 */
@SpringBootTest(classes = KitTestApplication.class)
@BackgroundTasksTest(clock = "2027-01-04T10:00:00Z")
class H2ClockTests extends ClockScenarios {

}
