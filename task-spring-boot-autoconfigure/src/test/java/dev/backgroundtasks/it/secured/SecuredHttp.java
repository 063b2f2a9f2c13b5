package dev.backgroundtasks.it.secured;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.backgroundtasks.it.secured.app.SecuredTasksApplication;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser-like HTTP client for the secured application: HTTP Basic for a named user, or a cookie jar
 * for a form login session; reads every answer whole except an event stream, whose headers are enough.
 */
final class SecuredHttp {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final String origin;

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private SecuredHttp(int port) {
		this.origin = "http://localhost:" + port;
		this.client = HttpClient.newBuilder().cookieHandler(this.cookies).connectTimeout(Duration.ofSeconds(10)).build();
	}

	/**
	 * @param port the server's port
	 * @return a client sending no credentials
	 */
	static SecuredHttp anonymous(int port) {
		return new SecuredHttp(port);
	}

	/**
	 * @param port the server's port
	 * @param user the user, or {@code null} for none
	 * @return a client authenticating every request with HTTP Basic as the user
	 */
	static SecuredHttp basic(int port, @Nullable String user) {
		SecuredHttp http = new SecuredHttp(port);
		if (user != null) {
			String credentials = user + ":" + SecuredTasksApplication.PASSWORD;
			http.headers.put("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return http;
	}

	/**
	 * Logs in through the application's login form, as a browser does: reads the form's CSRF token, posts
	 * the credentials and keeps the session cookie.
	 * @param port the server's port
	 * @param user the user
	 * @return a client in the user's session
	 */
	static SecuredHttp formLogin(int port, String user) {
		SecuredHttp http = new SecuredHttp(port);
		Response form = http.send("GET", "/login", null, null);
		assertThat(form.status()).isEqualTo(200);
		Response login = http.send("POST", "/login", "application/x-www-form-urlencoded",
				"username=" + user + "&password=" + SecuredTasksApplication.PASSWORD + "&_csrf="
						+ form.csrfInputValue());
		assertThat(login.status()).as("login answers with a redirect").isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return http;
	}

	/**
	 * @param name a cookie name
	 * @return the value of the cookie the server set, or {@code null}
	 */
	@Nullable String cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	Response get(String path) {
		return send("GET", path, null, null);
	}

	Response post(String path, @Nullable String contentType, @Nullable String body, String... headers) {
		return send("POST", path, contentType, body, headers);
	}

	Response send(String method, String path, @Nullable String contentType, @Nullable String body,
			String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.origin + path))
			.timeout(Duration.ofSeconds(20))
			.method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
		this.headers.forEach(request::header);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			HttpResponse<InputStream> response = this.client.send(request.build(), BodyHandlers.ofInputStream());
			String type = response.headers().firstValue("Content-Type").orElse("");
			try (InputStream in = response.body()) {
				// An event stream stays open: its status and type are the answer.
				String text = type.startsWith("text/event-stream") ? ""
						: new String(in.readAllBytes(), StandardCharsets.UTF_8);
				return new Response(response.statusCode(), type,
						response.headers().firstValue("Location").orElse(null), text);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One answer.
	 *
	 * @param status the status code
	 * @param contentType the content type, empty when none
	 * @param location the {@code Location} header, or {@code null}
	 * @param body the body as text (empty for an event stream)
	 */
	record Response(int status, String contentType, @Nullable String location, String body) {

		JsonNode json() {
			return mapper.readTree(this.body);
		}

		String csrfInputValue() {
			Matcher matcher = CSRF_INPUT.matcher(this.body);
			assertThat(matcher.find()).as("a _csrf input in %s", this.body).isTrue();
			return matcher.group(1);
		}

		boolean isProblem() {
			return this.contentType.equals("application/problem+json");
		}

		@Override
		public String toString() {
			return this.status + " " + this.contentType + " " + this.body;
		}

	}

}
