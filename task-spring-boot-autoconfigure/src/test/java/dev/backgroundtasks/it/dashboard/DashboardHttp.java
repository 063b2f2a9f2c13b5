package dev.backgroundtasks.it.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain HTTP to the dashboard, as a browser without scripts would send it: GETs, and form POSTs with
 * chosen headers; redirects are not followed, so that a test sees them.
 */
final class DashboardHttp {

	private static final Pattern FORM = Pattern.compile("<form[^>]*>");

	private final String origin;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	DashboardHttp(int port) {
		this.origin = "http://localhost:" + port;
	}

	/**
	 * @return this server's origin, as a browser sends it in {@code Origin}
	 */
	String origin() {
		return this.origin;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.origin + path)).GET());
	}

	/**
	 * @param path the path
	 * @param form names and values, in pairs; a name may repeat
	 * @return the response
	 */
	HttpResponse<String> post(String path, String... form) {
		return post(path, List.of(), form);
	}

	/**
	 * @param path the path
	 * @param headers header names and values, in pairs
	 * @param form names and values, in pairs; a name may repeat
	 * @return the response
	 */
	HttpResponse<String> post(String path, List<String> headers, String... form) {
		StringJoiner body = new StringJoiner("&");
		for (int i = 0; i < form.length; i += 2) {
			body.add(URLEncoder.encode(form[i], StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.origin + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(body.toString()));
		for (int i = 0; i < headers.size(); i += 2) {
			request.header(headers.get(i), headers.get(i + 1));
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Asserts a page of the dashboard: the status, HTML in UTF-8, and the headers every page is sent with.
	 * @param response the response
	 * @param status the expected status
	 * @return the page's HTML
	 */
	static String assertPage(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.uri() + " answered " + response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type.toLowerCase(Locale.ROOT)).startsWith("text/html").contains("charset=utf-8"));
		assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying((policy) -> {
			assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
					"form-action 'self'", "frame-ancestors 'self'");
			assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
		});
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(
				(cache) -> assertThat(cache).contains("no-store"));
		assertThat(response.body()).startsWith("<!DOCTYPE html>");
		return response.body();
	}

	/**
	 * @param html a page
	 * @return the opening tags of its forms that POST
	 */
	static List<String> postForms(String html) {
		List<String> forms = new ArrayList<>();
		Matcher matcher = FORM.matcher(html);
		while (matcher.find()) {
			if (matcher.group().toLowerCase(Locale.ROOT).contains("method=\"post\"")) {
				forms.add(matcher.group());
			}
		}
		return forms;
	}

}
