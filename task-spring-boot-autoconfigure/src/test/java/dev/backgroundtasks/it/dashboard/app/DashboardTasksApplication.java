package dev.backgroundtasks.it.dashboard.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application with a few tasks that show every part of the dashboard: typed parameters with
 * defaults and required ones, a failure, a retry, a schedule, progress.
 */
@SpringBootApplication
public class DashboardTasksApplication {

}
