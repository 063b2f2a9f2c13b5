package dev.backgroundtasks.web.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the dashboard's static assets from the jar, below {@code {path}/assets/}: its own script and
 * style sheet, and uPlot from its WebJar, whatever the application does with {@code /webjars}; and
 * checks the origin of the dashboard's forms.
 */
public class DashboardAssets implements WebMvcConfigurer {

	private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

	private final String path;

	private final SameOriginCheck sameOrigin;

	/**
	 * @param path the dashboard's path
	 * @param sameOrigin refuses forms sent from other sites
	 */
	public DashboardAssets(String path, SameOriginCheck sameOrigin) {
		this.path = path;
		this.sameOrigin = sameOrigin;
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(this.path + "/assets/uplot/**")
			.addResourceLocations("classpath:/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/")
			.setCacheControl(CacheControl.noCache());
		registry.addResourceHandler(this.path + "/assets/**")
			.addResourceLocations("classpath:/dev/backgroundtasks/web/dashboard/static/")
			.setCacheControl(CacheControl.noCache());
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.sameOrigin).addPathPatterns(this.path + "/**");
	}

	private static String uplotVersion() {
		try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
			if (in == null) {
				throw new IllegalStateException("The dashboard needs uPlot's WebJar (org.webjars.npm:uplot) on the"
						+ " classpath; add it, or set background-tasks.dashboard.enabled=false");
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + UPLOT_POM, ex);
		}
	}

}
