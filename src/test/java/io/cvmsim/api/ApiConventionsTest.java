package io.cvmsim.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The API's conventions (STYLE.md), as rules the build enforces. */
class ApiConventionsTest {

  static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cvmsim.api", "io.cvmsim.config");

  static final ArchCondition<JavaClass> HAVE_ONE_CONSTRUCTOR =
      new ArchCondition<>("have exactly one constructor") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
          int n = c.getConstructors().size();
          events.add(
              new SimpleConditionEvent(c, n == 1, c.getName() + " has " + n + " constructors"));
        }
      };

  @Test
  void controllers_arePackagePrivate_withOneConstructor() {
    classes()
        .that()
        .areAnnotatedWith(RestController.class)
        .should()
        .notBePublic()
        .andShould(HAVE_ONE_CONSTRUCTOR)
        .check(API);
  }

  @Test
  void controllers_neverRunWorkloadsUnderTheVmLock() {
    noClasses()
        .that()
        .resideInAPackage("io.cvmsim.api..")
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "GuestVm.withMemory", call -> call.getTarget().getName().equals("withMemory")))
        .check(API);
  }

  @Test
  void thereIsExactlyOneProblemHandler() {
    long advices = API.stream().filter(c -> c.isAnnotatedWith(RestControllerAdvice.class)).count();
    assertThat(advices).isEqualTo(1);
  }

  @Test
  void configurations_doNotProxyBeanMethods() {
    classes()
        .that()
        .areAnnotatedWith(org.springframework.context.annotation.Configuration.class)
        .should(
            new ArchCondition<>("set proxyBeanMethods = false") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                boolean ok =
                    !c.getAnnotationOfType(
                            org.springframework.context.annotation.Configuration.class)
                        .proxyBeanMethods();
                events.add(new SimpleConditionEvent(c, ok, c.getName()));
              }
            })
        .check(API);
  }
}
