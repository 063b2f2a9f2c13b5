package dev.backgroundtasks.sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's scenarios on a fresh in-memory H2 database.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1")
@AutoConfigureRestTestClient
class SampleApplicationH2Tests extends SampleApplicationScenarios {

	@Autowired
	private TaskRegistry registry;

	/**
	 * The IDE completes {@code background-tasks.tasks.<name>} with the sample's task names from the
	 * hint in {@code META-INF/additional-spring-configuration-metadata.json}: it lists every task with
	 * its description, and no other than {@code record-run}, a task of the {@code crash-test} profile.
	 */
	@Test
	void configurationHintListsEveryTaskWithItsDescription() throws IOException {
		Map<String, String> hinted = new TreeMap<>();
		try (InputStream in = new ClassPathResource("META-INF/additional-spring-configuration-metadata.json")
			.getInputStream()) {
			JsonNode hints = JsonMapper.builder().build().readTree(in).get("hints");
			for (JsonNode hint : hints) {
				if (hint.get("name").asString().equals("background-tasks.tasks.keys")) {
					hint.get("values").forEach((value) -> hinted.put(value.get("value").asString(),
							value.get("description").asString()));
				}
			}
		}
		Map<String, String> registered = new TreeMap<>();
		for (TaskInfo task : this.registry.tasks()) {
			registered.put(task.name(), task.description());
		}
		assertThat(hinted).containsAllEntriesOf(registered);
		Map<String, String> profileOnly = new TreeMap<>(hinted);
		profileOnly.keySet().removeAll(registered.keySet());
		assertThat(profileOnly.keySet()).containsExactly("record-run");
	}

}
