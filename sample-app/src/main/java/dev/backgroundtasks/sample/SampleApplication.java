package dev.backgroundtasks.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application. Its tasks live on ordinary Spring beans in the sub-packages; the starter
 * finds them, stores every execution in the application's database and serves the REST API under
 * {@code /api/v1}.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
