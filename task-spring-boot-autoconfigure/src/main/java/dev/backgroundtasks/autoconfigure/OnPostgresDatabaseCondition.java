package dev.backgroundtasks.autoconfigure;

import java.util.Locale;

import dev.backgroundtasks.execution.DatabaseKind;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.env.PropertySourcesPropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Tells from configuration whether the application's database is PostgreSQL. A bean condition runs
 * before the data source exists, so it cannot ask the database: it reads
 * {@code background-tasks.database.platform} when set, and otherwise the URL of Spring Boot's data
 * source ({@code spring.datasource.url}, or Hikari's {@code jdbc-url}).
 */
class OnPostgresDatabaseCondition extends SpringBootCondition {

	static final String PLATFORM = "background-tasks.database.platform";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnPostgresDatabase.class);
		DatabaseKind configured = configured(context.getEnvironment());
		if (configured == DatabaseKind.POSTGRESQL) {
			return ConditionOutcome.match(message.foundExactly("PostgreSQL in configuration"));
		}
		return ConditionOutcome.noMatch(message.because((configured != null) ? "the database is " + configured
				: "neither " + PLATFORM + " nor the data source URL names PostgreSQL"));
	}

	/**
	 * @param environment the environment
	 * @return the database kind that configuration names, or {@code null} when it names none
	 */
	static @Nullable DatabaseKind configured(Environment environment) {
		String platform = environment.getProperty(PLATFORM, "auto").trim().toLowerCase(Locale.ROOT);
		if (!platform.equals("auto")) {
			return DatabaseKind.named(platform);
		}
		PropertyResolver properties = environment;
		if (environment instanceof ConfigurableEnvironment configurable) {
			// Only the URL's prefix matters: a placeholder later in it need not resolve yet.
			PropertySourcesPropertyResolver lenient = new PropertySourcesPropertyResolver(
					configurable.getPropertySources());
			lenient.setIgnoreUnresolvableNestedPlaceholders(true);
			properties = lenient;
		}
		String url = properties.getProperty("spring.datasource.url",
				properties.getProperty("spring.datasource.hikari.jdbc-url", ""));
		return DatabaseKind.ofUrl(url);
	}

}
