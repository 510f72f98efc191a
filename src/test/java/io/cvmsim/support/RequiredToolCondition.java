package io.cvmsim.support;

import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs, skips or fails tests that need an external tool (Docker, Prometheus, a browser, ...).
 *
 * <p>The tool is probed once per test run. When it works, the tests run. When it does not, they are
 * skipped with the reason, unless the tool is required: then the condition throws, and JUnit
 * reports the tests as errors, never as a silent skip. A tool is required when the environment
 * variable {@code CI} is {@code true} (set by CI, see {@code .ci/run}) or when the system property
 * {@code <key>.required} is {@code true} (for Docker: {@code -Ddocker.required=true}).
 *
 * <p>A new tool needs a subclass with a no-argument constructor that names the tool and its key and
 * implements {@link #probe()}, plus a meta-annotation such as {@link RequiresDocker}.
 */
public abstract class RequiredToolCondition implements ExecutionCondition {

  private static final Logger log = LoggerFactory.getLogger(RequiredToolCondition.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RequiredToolCondition.class);

  private final String tool;
  private final String key;

  /**
   * Creates the condition for {@code tool} (as people call it, e.g. "Docker"), whose system
   * property {@code <key>.required} makes it required.
   */
  protected RequiredToolCondition(String tool, String key) {
    this.tool = tool;
    this.key = key;
  }

  /**
   * Checks that the tool can be used; returns normally if so, throws with the reason otherwise.
   * Called once per test run, so it may be slow.
   */
  protected abstract void probe() throws Exception;

  @Override
  public final ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Availability availability =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .computeIfAbsent(getClass(), k -> check(), Availability.class);
    if (availability.problem() == null) {
      return ConditionEvaluationResult.enabled(tool + " is available");
    }
    if (isRequired()) {
      throw new IllegalStateException(
          tool
              + " is required ("
              + requiredBecause()
              + ") but not available: "
              + availability.problem());
    }
    return ConditionEvaluationResult.disabled(skipReason(availability.problem()));
  }

  private Availability check() {
    try {
      probe();
      return new Availability(null);
    } catch (Throwable e) {
      String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!isRequired()) {
        log.warn("Skipping tests: {}", skipReason(problem));
      }
      return new Availability(problem);
    }
  }

  private String skipReason(String problem) {
    return tool
        + " not available: "
        + problem
        + "; set CI=true or -D"
        + key
        + ".required=true to make this a failure";
  }

  private boolean isRequired() {
    return isRequired(key);
  }

  /**
   * Returns whether a tool whose key is {@code key} is required: {@code CI=true} in the
   * environment, or the system property {@code <key>.required=true}.
   */
  public static boolean isRequired(String key) {
    return isTrue(System.getProperty(key + ".required")) || isTrue(System.getenv("CI"));
  }

  private String requiredBecause() {
    return isTrue(System.getenv("CI")) ? "CI=true" : key + ".required=true";
  }

  private static boolean isTrue(String value) {
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /** The probe's outcome; {@code problem} is null when the tool works. */
  private record Availability(String problem) {}
}
