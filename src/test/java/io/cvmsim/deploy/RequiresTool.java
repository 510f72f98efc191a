package io.cvmsim.deploy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method only when every named command-line tool is on the {@code
 * PATH}. Without one the test is skipped with a message saying what to install, unless tools are
 * required ({@code CI=true} in the environment, or {@code -Dtools.required=true}): then it fails,
 * so a CI machine that lost a tool cannot pass by skipping.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresToolCondition.class)
public @interface RequiresTool {

  /** Returns the executable names that must be on the PATH, e.g. {@code "promtool"}. */
  String[] value();
}
