package dev.backgroundtasks.web.dashboard;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses the dashboard's forms when a browser says they come from another site. The dashboard's
 * actions are HTML forms, which any site can make a browser send: with Spring Security its CSRF token
 * stops them, and this check stops them too where there is no token (no Spring Security, or CSRF
 * protection turned off). Browsers tell where a request comes from in {@code Sec-Fetch-Site} and
 * {@code Origin}; a client that sends neither (curl, a script) is not a browser tricked by a page.
 */
public class SameOriginCheck implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod())
				|| isSameOrigin(request)) {
			return true;
		}
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter()
			.write("Refused: this form of the background tasks dashboard was sent from another site ("
					+ describe(request) + ")");
		return false;
	}

	static boolean isSameOrigin(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null && !"same-origin".equals(site) && !"none".equals(site)) {
			return false;
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return true;
		}
		return sameOrigin(origin, request);
	}

	private static boolean sameOrigin(String origin, HttpServletRequest request) {
		URI uri;
		try {
			uri = URI.create(origin);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (uri.getScheme() == null || uri.getHost() == null) {
			return false;
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : defaultPort(uri.getScheme());
		return uri.getScheme().equalsIgnoreCase(request.getScheme()) && uri.getHost().equalsIgnoreCase(request.getServerName())
				&& port == request.getServerPort();
	}

	private static int defaultPort(String scheme) {
		return "https".equalsIgnoreCase(scheme) ? 443 : 80;
	}

	private static String describe(HttpServletRequest request) {
		@Nullable String origin = request.getHeader("Origin");
		@Nullable String site = request.getHeader("Sec-Fetch-Site");
		return "Origin: " + origin + ", Sec-Fetch-Site: " + site;
	}

}
