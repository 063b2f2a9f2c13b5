package dev.backgroundtasks.it.secured;

import org.springframework.test.context.TestPropertySource;

/**
 * Who may do what on the dashboard, in Chromium, on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:dashboard-access-${random.uuid};DB_CLOSE_DELAY=-1")
class H2DashboardAccessBrowserTests extends AbstractDashboardAccessBrowserTests {

}
