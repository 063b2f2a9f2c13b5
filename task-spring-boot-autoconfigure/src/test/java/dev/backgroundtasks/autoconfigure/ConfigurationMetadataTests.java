package dev.backgroundtasks.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the configuration metadata that spring-boot-configuration-processor generates from
 * {@link BackgroundTasksProperties}: every property is described, and every default it shows is the
 * default the code applies.
 */
class ConfigurationMetadataTests {

	private static final String PREFIX = "background-tasks.";

	private static final List<JsonNode> properties = readMetadata();

	static List<String> propertyNames() {
		return properties.stream().map((property) -> property.get("name").asString()).toList();
	}

	private static List<JsonNode> readMetadata() {
		JsonNode metadata;
		try (InputStream in = ownMetadata().openStream()) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<JsonNode> ours = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asString().startsWith(PREFIX)) {
				ours.add(property);
			}
		}
		return List.copyOf(ours);
	}

	@Test
	void describesEveryPropertyOfTheCode() {
		Set<String> inMetadata = properties.stream()
			.map((property) -> property.get("name").asString())
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(inMetadata).isEqualTo(propertiesOf(BackgroundTasksProperties.class, PREFIX));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("propertyNames")
	void hasADescription(String name) {
		JsonNode description = property(name).get("description");
		assertThat(description).as("description of %s", name).isNotNull();
		assertThat(description.asString()).as("description of %s", name).isNotBlank();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("propertyNames")
	void showsTheDefaultTheCodeApplies(String name) {
		JsonNode property = property(name);
		BeanWrapper defaults = new BeanWrapperImpl(new BackgroundTasksProperties());
		String path = beanPath(name);
		Object actual = defaults.getPropertyValue(path);
		JsonNode shown = property.get("defaultValue");
		if (shown == null) {
			if (actual instanceof Map<?, ?> map) {
				// Maps of groups (background-tasks.tasks.<name>.*) start empty; metadata shows no default.
				assertThat(map).as("default of %s, which the metadata does not show", name).isEmpty();
				return;
			}
			assertThat(actual).as("default of %s, which the metadata does not show", name).isNull();
			return;
		}
		Object converted = ApplicationConversionService.getSharedInstance()
			.convert(asPropertyValue(shown), defaults.getPropertyType(path));
		assertThat(converted).as("default of %s shown as %s", name, shown).isEqualTo(actual);
	}

	@Test
	void describesBooleansWithWhether() {
		assertThat(properties).filteredOn((property) -> property.get("type").asString().equals("java.lang.Boolean"))
			.isNotEmpty()
			.allSatisfy((property) -> assertThat(property.get("description").asString())
				.as("description of %s", property.get("name").asString())
				.startsWith("Whether "));
	}

	/**
	 * The default as it would be written in a properties file: lists comma-separated.
	 */
	private static String asPropertyValue(JsonNode shown) {
		if (shown.isArray()) {
			return shown.valueStream().map(JsonNode::asString).collect(Collectors.joining(","));
		}
		return shown.isString() ? shown.asString() : shown.toString();
	}

	private static JsonNode property(String name) {
		return properties.stream()
			.filter((property) -> property.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * The metadata file in the same classpath root as the properties class, not one of Spring
	 * Boot's.
	 */
	private static URL ownMetadata() throws IOException {
		String root = BackgroundTasksProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		return Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))
			.stream()
			.filter((url) -> url.toString().startsWith(root) || url.toString().startsWith("jar:" + root))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No configuration metadata generated in " + root));
	}

	/**
	 * Walks the JavaBean properties: nested classes of {@code BackgroundTasksProperties} are groups,
	 * everything else (enums included) is a property.
	 */
	private static Set<String> propertiesOf(Class<?> type, String prefix) {
		Set<String> names = new TreeSet<>();
		for (PropertyDescriptor descriptor : new BeanWrapperImpl(type).getPropertyDescriptors()) {
			if (descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + kebabCase(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (propertyType.getDeclaringClass() == BackgroundTasksProperties.class && !propertyType.isEnum()) {
				names.addAll(propertiesOf(propertyType, name + "."));
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	private static String beanPath(String name) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : name.substring(PREFIX.length()).toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

	private static String kebabCase(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
