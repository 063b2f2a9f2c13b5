package dev.backgroundtasks.sample.crash;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash test's task and submission endpoint on H2, in {@code immediate} mode so every run has
 * happened when the request returns.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "background-tasks.mode=immediate", "background-tasks.node-name=test-node",
				"spring.datasource.url=jdbc:h2:mem:crash-${random.uuid};DB_CLOSE_DELAY=-1" })
@AutoConfigureRestTestClient
@ActiveProfiles("crash-test")
class CrashTestTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void submitsRecordRunForEverySeqAndEachRunIsRecordedWithItsNode() {
		this.client.post()
			.uri("/crash-test/submissions?count=250")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.count")
			.isEqualTo(250);
		List<Map<String, Object>> runs = this.jdbc
			.queryForList("SELECT COUNT(*) AS runs, COUNT(DISTINCT seq) AS seqs, MIN(seq) AS first, MAX(seq) AS last,"
					+ " MIN(node) AS node FROM crash_run");
		assertThat(runs).singleElement()
			.satisfies((row) -> assertThat(row).containsEntry("RUNS", 250L)
				.containsEntry("SEQS", 250L)
				.containsEntry("FIRST", 1)
				.containsEntry("LAST", 250)
				.containsEntry("NODE", "test-node"));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'record-run'"
				+ " AND status = 'SUCCESSFUL' AND attempt = 1", Long.class)).isEqualTo(250L);
	}

	@Test
	void refusesACountOutOfRange() {
		this.client.post().uri("/crash-test/submissions?count=0").exchange().expectStatus().isBadRequest();
	}

}
