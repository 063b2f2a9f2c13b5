package dev.backgroundtasks.web.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.backgroundtasks.web.ApiAccess;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Renders the dashboard's pages from the templates in the jar, with what every page shows (who is
 * looking, whether they may act, where the API and the event stream are), and answers them with a strict
 * Content-Security-Policy: scripts, styles and connections from this origin only, nothing inline.
 * <p>
 * The template engine is the dashboard's own, not a bean: it never sees the application's templates,
 * and an application that configures Thymeleaf for its own pages is not affected.
 */
public class DashboardView {

	/** The policy every page is served with; the pages need nothing inline. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
			+ " img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none';"
			+ " frame-ancestors 'self'";

	private static final String CSRF_ATTRIBUTE = "_csrf";

	private final TemplateEngine engine = new TemplateEngine();

	private final String path;

	private final String apiBasePath;

	private final ApiAccess access;

	private final boolean readOnly;

	private final DashboardFormat format;

	/**
	 * @param path the dashboard's path, below the servlet context
	 * @param apiBasePath the REST API's base path, for the event stream
	 * @param access who is looking
	 * @param readOnly whether the API keeps only its read endpoints, which makes the dashboard read-only
	 * too
	 * @param format formats values for the templates
	 */
	public DashboardView(String path, String apiBasePath, ApiAccess access, boolean readOnly,
			DashboardFormat format) {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(DashboardView.class.getClassLoader());
		resolver.setPrefix("dev/backgroundtasks/web/dashboard/templates/");
		resolver.setSuffix(".html");
		resolver.setTemplateMode(TemplateMode.HTML);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCacheable(true);
		this.engine.setTemplateResolver(resolver);
		this.path = path;
		this.apiBasePath = apiBasePath;
		this.access = access;
		this.readOnly = readOnly;
		this.format = format;
	}

	/**
	 * @return whether the caller of the current request may act (run, cancel, retry, enable, disable)
	 */
	public boolean mayOperate() {
		return !this.readOnly && this.access.isOperator();
	}

	/**
	 * @param request the current request
	 * @return the dashboard's URL path, with the servlet context, without a trailing slash
	 */
	String base(HttpServletRequest request) {
		return request.getContextPath() + this.path;
	}

	/**
	 * Renders a page with status 200.
	 * @param request the current request
	 * @param template the template's name
	 * @param model the page's own values
	 * @return the response
	 */
	ResponseEntity<String> page(HttpServletRequest request, String template, Map<String, ?> model) {
		return page(request, HttpStatus.OK, template, model);
	}

	/**
	 * Renders a page.
	 * @param request the current request
	 * @param status the response status
	 * @param template the template's name
	 * @param model the page's own values
	 * @return the response
	 */
	ResponseEntity<String> page(HttpServletRequest request, HttpStatusCode status, String template,
			Map<String, ?> model) {
		Context context = new Context(Locale.ENGLISH);
		context.setVariables(new HashMap<>(model));
		context.setVariable("base", base(request));
		context.setVariable("assets", base(request) + "/assets");
		context.setVariable("stream", request.getContextPath() + this.apiBasePath + "/executions/stream");
		context.setVariable("user", this.access.principalName());
		context.setVariable("operator", mayOperate());
		context.setVariable("readOnly", this.readOnly);
		context.setVariable("csrf", csrf(request));
		context.setVariable("fmt", this.format);
		context.setVariable("template", template);
		String html = this.engine.process(template, context);
		return ResponseEntity.status(status)
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.header("Referrer-Policy", "same-origin")
			.body(html);
	}

	/**
	 * Renders a page that says what was not found, with a way on.
	 * @param request the current request
	 * @param message what was not found
	 * @param linkPath where to go instead, below the dashboard's path
	 * @param linkText the link's text
	 * @return the response, status 404
	 */
	ResponseEntity<String> notFound(HttpServletRequest request, String message, String linkPath, String linkText) {
		return page(request, HttpStatus.NOT_FOUND, "message",
				Map.of("title", "Not found", "message", message, "linkPath", linkPath, "linkText", linkText));
	}

	/**
	 * Refuses an action to a caller who may not act: with Spring Security the starter's access check has
	 * refused it already; this covers {@code background-tasks.web.read-only=true}.
	 * @param request the current request
	 * @return the response, status 403
	 */
	ResponseEntity<String> forbidden(HttpServletRequest request) {
		return page(request, HttpStatus.FORBIDDEN, "message", Map.of("title", "Not allowed", "message",
				"This dashboard is read-only here: background-tasks.web.read-only=true, or you may only read",
				"linkPath", "", "linkText", "Overview"));
	}

	/**
	 * Answers a form with a redirect to another page of the dashboard (303, so the browser follows it
	 * with a GET).
	 * @param request the current request
	 * @param page the page's path below the dashboard's, with its query string
	 * @return the response
	 */
	ResponseEntity<String> redirect(HttpServletRequest request, String page) {
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header("Location", base(request) + page).build();
	}

	/**
	 * The CSRF token Spring Security left for the current request, as the hidden field the forms carry;
	 * read as a bean, so that the dashboard works without Spring Security on the classpath.
	 */
	private static @Nullable CsrfField csrf(HttpServletRequest request) {
		Object token = request.getAttribute(CSRF_ATTRIBUTE);
		if (token == null) {
			return null;
		}
		BeanWrapperImpl bean = new BeanWrapperImpl(token);
		if (!bean.isReadableProperty("parameterName") || !bean.isReadableProperty("token")) {
			return null;
		}
		Object name = bean.getPropertyValue("parameterName");
		Object value = bean.getPropertyValue("token");
		return (name != null && value != null) ? new CsrfField(name.toString(), value.toString()) : null;
	}

	/**
	 * The hidden field of a form that carries the CSRF token.
	 *
	 * @param name the parameter name
	 * @param value the token
	 */
	public record CsrfField(String name, String value) {

	}

}
