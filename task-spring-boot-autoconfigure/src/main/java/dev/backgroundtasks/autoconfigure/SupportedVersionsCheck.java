package dev.backgroundtasks.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Fails start-up, before any bean of the starter is created, when the application runs on a Spring Boot
 * line the starter does not support (below 4.0, or 5 and above) or on a Jackson other than 3.x, naming
 * the version found; on a 4.x line newer than the ones tested it logs one warning and goes on.
 * <p>
 * Registered in {@code META-INF/spring.factories}, so it runs on whatever Spring Boot the application
 * has: it uses only types that every Spring Boot line has, and reads Jackson's version by name.
 */
public final class SupportedVersionsCheck
		implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	static final String SUPPORTED = "Spring Boot 4.0.x and 4.1.x";

	private static final int NEWEST_TESTED_MINOR = 1;

	private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

	private static final Log logger = LogFactory.getLog(SupportedVersionsCheck.class);

	private final @Nullable String bootVersion;

	private final @Nullable String jacksonVersion;

	private boolean warned;

	/**
	 * Checks the Spring Boot and Jackson on the application's class path.
	 */
	public SupportedVersionsCheck() {
		this(SpringBootVersion.getVersion(), jacksonVersion());
	}

	/**
	 * @param bootVersion the Spring Boot version, {@code null} when it cannot be told (a repackaged jar
	 * without its manifest): then nothing is checked
	 * @param jacksonVersion the Jackson 3 version, {@code null} when Jackson 3 is absent or cannot tell
	 */
	SupportedVersionsCheck(@Nullable String bootVersion, @Nullable String jacksonVersion) {
		this.bootVersion = bootVersion;
		this.jacksonVersion = jacksonVersion;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		String warning = check();
		if (warning != null && !this.warned) {
			this.warned = true;
			logger.warn(warning);
		}
	}

	/**
	 * @return a warning to log, or {@code null} when the versions are supported
	 * @throws IllegalStateException naming the version found and the supported ones when they are not
	 */
	@Nullable String check() {
		String warning = null;
		int[] boot = majorMinor(this.bootVersion);
		if (boot != null) {
			if (boot[0] != 4) {
				throw new IllegalStateException("Background Tasks for Spring Boot supports " + SUPPORTED
						+ ", but this application runs on Spring Boot " + this.bootVersion
						+ "; run the application on Spring Boot 4.0 or 4.1");
			}
			if (boot[1] > NEWEST_TESTED_MINOR) {
				warning = "Background Tasks for Spring Boot is tested with " + SUPPORTED
						+ ", and this application runs on Spring Boot " + this.bootVersion
						+ ", a line it has not been tested with";
			}
		}
		int[] jackson = majorMinor(this.jacksonVersion);
		if (jackson != null && jackson[0] != 3) {
			throw new IllegalStateException("Background Tasks for Spring Boot needs Jackson 3.x (tools.jackson), "
					+ "as Spring Boot 4 manages it, but this application has Jackson " + this.jacksonVersion);
		}
		return warning;
	}

	private static int @Nullable [] majorMinor(@Nullable String version) {
		if (version == null) {
			return null;
		}
		Matcher matcher = MAJOR_MINOR.matcher(version);
		if (!matcher.find()) {
			return null;
		}
		return new int[] { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)) };
	}

	private static @Nullable String jacksonVersion() {
		try {
			Class<?> version = Class.forName("tools.jackson.databind.cfg.PackageVersion", false,
					SupportedVersionsCheck.class.getClassLoader());
			return String.valueOf(version.getField("VERSION").get(null));
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			return null;
		}
	}

}
