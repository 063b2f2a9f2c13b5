package dev.backgroundtasks.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.backgroundtasks.web.StackTracePolicy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the README's configuration table to the configuration metadata the build generates: every
 * property of the metadata has a row, every row names a property, and every default the table shows
 * is the one the metadata (and so the code, see {@link ConfigurationMetadataTests}) has. Also checks
 * that the value hints name real properties and, for enums, exactly their constants.
 */
class ReadmeConfigurationTableTests {

	private static final String PREFIX = "background-tasks.";

	private static final String TASK_PREFIX = PREFIX + "tasks.<name>.";

	private static final Pattern CODE = Pattern.compile("`([^`]*)`");

	private static final JsonNode metadata = readMetadata();

	private static final Map<String, String> table = readTable();

	@Test
	void listsEveryPropertyOfTheMetadata() {
		Set<String> expected = new TreeSet<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith(PREFIX) && !name.equals(PREFIX + "tasks")) {
				expected.add(name);
			}
		}
		for (String name : taskProperties(BackgroundTasksProperties.Task.class, "")) {
			expected.add(TASK_PREFIX + name);
		}
		assertThat(new TreeSet<>(table.keySet())).isEqualTo(expected);
	}

	@Test
	void showsTheDefaultsOfTheMetadata() {
		ConversionService conversion = ApplicationConversionService.getSharedInstance();
		List<String> wrong = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (!table.containsKey(name)) {
				continue;
			}
			String shown = table.get(name);
			JsonNode expected = property.get("defaultValue");
			if (expected == null) {
				// No default in the metadata: the table leaves the cell empty or says in words what is used.
				if (CODE.matcher(shown).find()) {
					wrong.add(name + ": the table shows " + shown + ", the metadata no default");
				}
				continue;
			}
			Matcher code = CODE.matcher(shown);
			if (!code.find()) {
				wrong.add(name + ": the table shows no default, the metadata " + expected);
				continue;
			}
			Class<?> type = javaType(property.get("type").asString());
			Object fromTable = conversion.convert(code.group(1), type);
			Object fromMetadata = conversion.convert(asPropertyValue(expected), type);
			if (!fromMetadata.equals(fromTable)) {
				wrong.add(name + ": the table shows " + code.group(1) + ", the metadata " + expected);
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void hintsNameRealPropertiesAndEveryConstantOfTheirEnums() {
		Set<String> names = new TreeSet<>();
		metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		Set<String> taskProperties = taskProperties(BackgroundTasksProperties.Task.class, "");
		assertThat(metadata.get("hints")).isNotEmpty().allSatisfy((hint) -> {
			String name = hint.get("name").asString();
			if (name.startsWith(PREFIX + "tasks.values.")) {
				assertThat(taskProperties).as("hint %s", name).contains(name.substring((PREFIX + "tasks.values.").length()));
			}
			else {
				assertThat(names).as("hint %s", name).contains(name);
			}
		});
		assertThat(hintValues(PREFIX + "mode")).isEqualTo(constants(BackgroundTasksProperties.Mode.class));
		assertThat(hintValues(PREFIX + "web.stack-traces")).isEqualTo(constants(StackTracePolicy.class));
	}

	private static Set<String> hintValues(String name) {
		for (JsonNode hint : metadata.get("hints")) {
			if (hint.get("name").asString().equals(name)) {
				return hint.get("values")
					.valueStream()
					.map((value) -> value.get("value").asString())
					.collect(Collectors.toCollection(TreeSet::new));
			}
		}
		throw new AssertionError("No hint for " + name);
	}

	private static Set<String> constants(Class<? extends Enum<?>> type) {
		return java.util.Arrays.stream(type.getEnumConstants())
			.map((constant) -> constant.name().toLowerCase(Locale.ROOT))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * The rows of the README's configuration table: property name to its default cell. A row naming
	 * several properties ({@code `a.b.c` / `.d` / `.e`}) stands for each, with the same default.
	 */
	private static Map<String, String> readTable() {
		List<String> lines;
		try {
			lines = Files.readAllLines(readme());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int start = lines.indexOf("## Configuration");
		assertThat(start).as("the README's Configuration section").isNotNegative();
		Map<String, String> rows = new LinkedHashMap<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("## ")) {
				break;
			}
			if (!line.startsWith("| `" + PREFIX)) {
				continue;
			}
			String[] cells = line.split("(?<!\\\\)\\|");
			Matcher code = CODE.matcher(cells[1]);
			String first = null;
			while (code.find()) {
				String name = code.group(1);
				if (first == null) {
					first = name;
				}
				else {
					name = first.substring(0, first.lastIndexOf('.')) + name;
				}
				assertThat(rows.put(name, cells[2].trim())).as("rows for %s", name).isNull();
			}
		}
		assertThat(rows).as("rows of the README's configuration table").isNotEmpty();
		return rows;
	}

	private static Path readme() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve(".ci"))) {
				return dir.resolve("README.md");
			}
		}
		throw new IllegalStateException("No README.md beside .ci/ above " + Path.of("").toAbsolutePath());
	}

	/**
	 * The properties under {@code background-tasks.tasks.<name>.}, from the class behind them.
	 */
	private static Set<String> taskProperties(Class<?> type, String prefix) {
		Set<String> names = new TreeSet<>();
		for (PropertyDescriptor descriptor : new BeanWrapperImpl(type).getPropertyDescriptors()) {
			if (descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + descriptor.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
			if (descriptor.getPropertyType().getDeclaringClass() == BackgroundTasksProperties.class) {
				names.addAll(taskProperties(descriptor.getPropertyType(), name + "."));
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	private static Class<?> javaType(String metadataType) {
		String raw = metadataType.replaceAll("<.*", "");
		if (raw.equals("java.util.List")) {
			return List.class;
		}
		try {
			return Class.forName(raw, false,
					ReadmeConfigurationTableTests.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("Unknown type in the metadata: " + metadataType, ex);
		}
	}

	private static String asPropertyValue(JsonNode value) {
		if (value.isArray()) {
			return value.valueStream().map(JsonNode::asString).collect(Collectors.joining(","));
		}
		return value.isString() ? value.asString() : value.toString();
	}

	private static JsonNode readMetadata() {
		String root = BackgroundTasksProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		try {
			var url = Collections.list(ReadmeConfigurationTableTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))
				.stream()
				.filter((candidate) -> candidate.toString().startsWith(root)
						|| candidate.toString().startsWith("jar:" + root))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No configuration metadata generated in " + root));
			try (InputStream in = url.openStream()) {
				return JsonMapper.builder().build().readTree(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
