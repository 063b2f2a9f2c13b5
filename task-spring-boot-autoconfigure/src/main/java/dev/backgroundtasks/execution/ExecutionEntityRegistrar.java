package dev.backgroundtasks.execution;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * Adds {@link TaskExecution} to the application's persistence unit without touching how the
 * application's own entities are found: no {@code @EntityScan}, which would replace the application's
 * package scanning. Works whether or not the application declares {@code @EntityScan} itself.
 */
public class ExecutionEntityRegistrar implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof PersistenceManagedTypes types
				&& !types.getManagedClassNames().contains(TaskExecution.class.getName())) {
			return withExecutionEntity(types);
		}
		return bean;
	}

	private static PersistenceManagedTypes withExecutionEntity(PersistenceManagedTypes types) {
		List<String> classNames = new ArrayList<>(types.getManagedClassNames());
		classNames.add(TaskExecution.class.getName());
		return new PersistenceManagedTypes() {

			@Override
			public List<String> getManagedClassNames() {
				return classNames;
			}

			@Override
			public List<String> getManagedPackages() {
				return types.getManagedPackages();
			}

			@Override
			public @Nullable URL getPersistenceUnitRootUrl() {
				return types.getPersistenceUnitRootUrl();
			}

		};
	}

}
