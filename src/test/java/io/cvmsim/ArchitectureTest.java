package io.cvmsim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of ARCHITECTURE.md, as build failures. */
class ArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cvmsim");
  }

  @Test
  void coreImportsOnlyTheJdk() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.cvmsim.core..")
            .should()
            .dependOnClassesThat(
                DescribedPredicate.describe(
                    "are outside the JDK and io.cvmsim.core",
                    (JavaClass c) ->
                        !c.getPackageName().startsWith("java.")
                            && !c.getPackageName().startsWith("io.cvmsim.core")
                            && !c.isPrimitive()
                            && !(c.isArray()
                                && (c.getBaseComponentType().isPrimitive()
                                    || c.getBaseComponentType().getPackageName().startsWith("java.")
                                    || c.getBaseComponentType()
                                        .getPackageName()
                                        .startsWith("io.cvmsim.core")))));
    rule.check(classes);
  }

  @Test
  void noPackageAnywhereIsInACycle() {
    slices().matching("io.cvmsim.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void corePackagesHaveNoCycles() {
    slices().matching("io.cvmsim.core.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void platformsNeverReachTheAllocatorTheVmOrTheBoot() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.cvmsim.core.accept.tdx..",
            "io.cvmsim.core.accept.snp..",
            "io.cvmsim.core.accept.none..",
            "io.cvmsim.core.accept.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.cvmsim.core.mm..", "io.cvmsim.core.vm..", "io.cvmsim.core.boot..")
        .check(classes);
  }

  /**
   * The page allocator is reached through the VM facade (core.vm) and the value types below it
   * (core.memory) only: the API, the metrics, the configuration, the workloads and the experiments
   * never name a class of core.mm.
   */
  @Test
  void onlyTheVmAndTheBootReachTheAllocator() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.cvmsim.api..",
            "io.cvmsim.metrics..",
            "io.cvmsim.config..",
            "io.cvmsim.core.workload..",
            "io.cvmsim.core.experiment..",
            "io.cvmsim.core.stats..",
            "io.cvmsim.core.jobs..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.cvmsim.core.mm..")
        .check(classes);
  }
}
