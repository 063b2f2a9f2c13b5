package dev.backgroundtasks.execution;

import java.util.Locale;

import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;

/**
 * Keeps Hibernate's schema generation ({@code ddl-auto=create|create-drop|update}) away from the
 * starter's {@code bgt_} tables, which its Flyway migrations own; validation still checks them.
 */
public class ExecutionSchemaFilterProvider implements SchemaFilterProvider {

	private static final SchemaFilter EXCLUDE_OWN_TABLES = new SchemaFilter() {

		@Override
		public boolean includeNamespace(Namespace namespace) {
			return true;
		}

		@Override
		public boolean includeTable(Table table) {
			return !table.getName().toLowerCase(Locale.ROOT).startsWith("bgt_");
		}

		@Override
		public boolean includeSequence(Sequence sequence) {
			return true;
		}

	};

	@Override
	public SchemaFilter getCreateFilter() {
		return EXCLUDE_OWN_TABLES;
	}

	@Override
	public SchemaFilter getDropFilter() {
		return EXCLUDE_OWN_TABLES;
	}

	@Override
	public SchemaFilter getTruncatorFilter() {
		return EXCLUDE_OWN_TABLES;
	}

	@Override
	public SchemaFilter getMigrateFilter() {
		return EXCLUDE_OWN_TABLES;
	}

	@Override
	public SchemaFilter getValidateFilter() {
		return SchemaFilter.ALL;
	}

}
