package dev.backgroundtasks;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.NullMarked;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of the house style, checked on the main classes.
 */
@AnalyzeClasses(packages = "dev.backgroundtasks", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String ROOT = "dev.backgroundtasks";

	@ArchTest
	static final ArchRule apiDependsOnNothingInternal = noClasses().that()
		.resideInAPackage(ROOT)
		.should()
		.dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT))))
		.as("the API package %s depends on no other package of the library".formatted(ROOT));

	@ArchTest
	static final ArchRule nothingDependsOnAutoConfiguration = noClasses().that()
		.resideOutsideOfPackage(ROOT + ".autoconfigure..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT + ".autoconfigure..");

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule onlyTheWorkerAndItsConfigurationKnowTheWorker = noClasses().that()
		.resideInAnyPackage(ROOT + ".web..", ROOT + ".client..", ROOT + ".command..", ROOT + ".schedule..",
				ROOT + ".actuate..", ROOT + ".event..", ROOT + ".execution..", ROOT + ".registry..",
				ROOT + ".support..", ROOT + ".postgres..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT + ".worker..");

	@ArchTest
	static final ArchRule onlyTheWebPackageKnowsHttp = noClasses().that()
		.resideOutsideOfPackages(ROOT + ".web..", ROOT + ".autoconfigure..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..")
		.as("only the web package (and its auto-configuration) knows HTTP");

	@ArchTest
	static final ArchRule storageDependsOnlyOnTheApi = noClasses().that()
		.resideInAPackage(ROOT + ".execution..")
		.should()
		.dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAnyPackage(ROOT, ROOT + ".execution.."))))
		.as("the storage SPI and its implementations (%s.execution) depend on the API only".formatted(ROOT));

	@ArchTest
	static final ArchRule supportDependsOnlyOnTheApiAndStorage = noClasses().that()
		.resideInAPackage(ROOT + ".support..")
		.should()
		.dependOnClassesThat(resideInAPackage(ROOT + "..")
			.and(not(resideInAnyPackage(ROOT, ROOT + ".support..", ROOT + ".execution.."))));

	@ArchTest
	static final ArchRule onlyThePostgresConfigurationKnowsThePostgresPackage = noClasses().that()
		.resideOutsideOfPackages(ROOT + ".postgres..", ROOT + ".autoconfigure..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT + ".postgres..")
		.as("PostgreSQL-only parts are wired by their auto-configuration only");

	@ArchTest
	static final ArchRule onlyThePostgresPackageUsesTheDriver = noClasses().that()
		.resideOutsideOfPackages(ROOT + ".postgres..", ROOT + ".execution..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.postgresql..")
		.as("only the PostgreSQL package and the PostgreSQL dialect use the driver's API");

	@ArchTest
	static final ArchRule autoConfigurationsArePublicFinalWithoutPublicMembers = classes().that()
		.haveSimpleNameEndingWith("AutoConfiguration")
		.should()
		.bePublic()
		.andShould()
		.haveModifier(JavaModifier.FINAL)
		.andShould(haveNoPublicMembersButTheDefaultConstructor());

	@ArchTest
	static final ArchRule everyPackageIsNullMarked = classes().should(resideInANullMarkedPackage());

	private static ArchCondition<JavaClass> haveNoPublicMembersButTheDefaultConstructor() {
		return new ArchCondition<>("have no public members but the default constructor") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				type.getCodeUnits()
					.stream()
					.filter((member) -> member.getModifiers().contains(JavaModifier.PUBLIC))
					.filter((member) -> !isDefaultConstructor(member))
					.forEach((member) -> events.add(SimpleConditionEvent.violated(type,
							member.getFullName() + " is public")));
				type.getFields()
					.stream()
					.filter((field) -> field.getModifiers().contains(JavaModifier.PUBLIC))
					.forEach((field) -> events.add(SimpleConditionEvent.violated(type,
							field.getFullName() + " is public")));
			}

		};
	}

	private static boolean isDefaultConstructor(JavaCodeUnit member) {
		return member.isConstructor() && member.getRawParameterTypes().isEmpty();
	}

	private static ArchCondition<JavaClass> resideInANullMarkedPackage() {
		return new ArchCondition<>("reside in a package with a package-info marked @NullMarked") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				JavaPackage pkg = type.getPackage();
				boolean nullMarked = pkg.tryGetPackageInfo().isPresent() && pkg.isAnnotatedWith(NullMarked.class);
				if (!nullMarked) {
					events.add(SimpleConditionEvent.violated(type,
							type.getName() + " resides in " + pkg.getName() + ", which has no @NullMarked package-info"));
				}
			}

		};
	}

}
