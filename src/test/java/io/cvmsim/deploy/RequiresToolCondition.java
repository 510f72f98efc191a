package io.cvmsim.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The condition behind {@link RequiresTool}: enabled when every tool is found on the PATH;
 * otherwise disabled, or a failure when tools are required (env {@code CI=true} or system property
 * {@code tools.required=true}).
 */
final class RequiresToolCondition implements ExecutionCondition {

  /** Where to get each tool this project's tests use, for the skip and failure messages. */
  private static final Map<String, String> HOW_TO_INSTALL =
      Map.of("promtool", "the Debian package 'prometheus' (apt-get install prometheus)");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<RequiresTool> annotation =
        context
            .getElement()
            .flatMap(element -> AnnotationSupport.findAnnotation(element, RequiresTool.class));
    if (annotation.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @RequiresTool");
    }
    List<String> missing = new ArrayList<>();
    for (String tool : annotation.get().value()) {
      if (find(tool).isEmpty()) {
        String hint = HOW_TO_INSTALL.get(tool);
        missing.add(hint == null ? tool : tool + " (install " + hint + ")");
      }
    }
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("tools found: " + List.of(annotation.get().value()));
    }
    String message = "not on the PATH: " + String.join(", ", missing);
    if (toolsRequired()) {
      throw new IllegalStateException(
          message + "; tools are required here (CI=true or -Dtools.required=true)");
    }
    return ConditionEvaluationResult.disabled(
        message + "; skipped (set CI=true or -Dtools.required=true to fail instead)");
  }

  /** Returns the executable named {@code tool} found first on the PATH, if any. */
  static Optional<Path> find(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static boolean toolsRequired() {
    return Boolean.parseBoolean(System.getProperty("tools.required"))
        || Boolean.parseBoolean(System.getenv("CI"));
  }
}
