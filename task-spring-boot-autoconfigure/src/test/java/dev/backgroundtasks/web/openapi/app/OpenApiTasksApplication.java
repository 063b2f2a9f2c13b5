package dev.backgroundtasks.web.openapi.app;

import java.util.Map;

import dev.backgroundtasks.TaskRegistry;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application with springdoc and tasks of every kind of parameter: scalars, an enum, a date, a list, a
 * record, an optional one, a sensitive one; one task kept off the REST API and one registered from code.
 */
@SpringBootApplication
public class OpenApiTasksApplication {

	@Bean
	ApplicationRunner registerFunctionTask(TaskRegistry registry) {
		return (arguments) -> registry.register("echo", (params) -> Map.copyOf(params), "code");
	}

}
