package dev.backgroundtasks.it.dashboard;

import org.springframework.test.context.TestPropertySource;

/**
 * The dashboard in Chromium, on embedded H2.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:dashboard-${random.uuid};DB_CLOSE_DELAY=-1")
class H2DashboardBrowserTests extends AbstractDashboardBrowserTests {

	@Override
	String database() {
		return "h2";
	}

}
