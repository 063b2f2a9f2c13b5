package dev.backgroundtasks.web.openapi;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;
import java.util.random.RandomGenerator;

import dev.backgroundtasks.web.openapi.app.OpenApiTasksApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Without springdoc on the classpath (the application's, not only filtered for one context): the
 * application starts, the REST API answers, and there is no OpenAPI document. The application runs in a
 * class loader of its own over the test class path less springdoc's and swagger's jars.
 */
class WithoutSpringdocTests {

	@Test
	void theApplicationStartsWithTheRestApiAndNoDocument() throws Exception {
		String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
		URL[] classpath = Arrays.stream(entries)
			.filter((entry) -> !entry.contains("springdoc") && !entry.contains("swagger"))
			.map(WithoutSpringdocTests::url)
			.toArray(URL[]::new);
		assertThat(classpath).as("the class path less springdoc").hasSizeLessThan(entries.length);
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> loader.loadClass("org.springdoc.core.customizers.GlobalOpenApiCustomizer"));
			// The JDK finds random generators once, through the context class loader: before it is this one.
			RandomGenerator.getDefault();
			Thread.currentThread().setContextClassLoader(loader);
			// The JVM takes one URL stream handler factory, and this test JVM's Tomcat has set it already.
			loader.loadClass("org.apache.catalina.webresources.TomcatURLStreamHandlerFactory")
				.getMethod("disable")
				.invoke(null);
			Object context = loader.loadClass("org.springframework.boot.SpringApplication")
				.getMethod("run", Class.class, String[].class)
				.invoke(null, loader.loadClass(OpenApiTasksApplication.class.getName()),
						new String[] { "--server.port=0", "--spring.main.banner-mode=off",
								"--spring.datasource.url=jdbc:h2:mem:no-springdoc-" + UUID.randomUUID() });
			try {
				Object environment = context.getClass().getMethod("getEnvironment").invoke(context);
				String port = (String) environment.getClass()
					.getMethod("getProperty", String.class)
					.invoke(environment, "local.server.port");
				assertThat(get(port, "/api/v1/tasks").body()).contains("send-newsletter");
				assertThat(get(port, "/v3/api-docs").statusCode()).isEqualTo(404);
				assertThat(context.getClass().getMethod("containsBean", String.class)
					.invoke(context, "backgroundTasksOpenApiCustomizer")).isEqualTo(false);
			}
			finally {
				((AutoCloseable) context).close();
			}
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	private static HttpResponse<String> get(String port, String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	private static URL url(String entry) {
		try {
			return new File(entry).toURI().toURL();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
