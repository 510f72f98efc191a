package io.cvmsim.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Paths of the deployment files in this repository, and small helpers to read and check them. */
final class DeployFiles {

  /** The project directory: surefire runs tests there. */
  static final Path PROJECT = Path.of("").toAbsolutePath();

  static final Path CHART = PROJECT.resolve("helm/cvmsim");
  static final Path DASHBOARD = CHART.resolve("dashboards/cvmsim.json");
  static final Path ALERT_RULES = CHART.resolve("rules/cvmsim-alerts.yml");
  static final Path DOCKER = PROJECT.resolve("docker");
  static final Path COMPOSE = DOCKER.resolve("compose.yaml");
  static final Path PROMETHEUS_CONFIG = DOCKER.resolve("prometheus/prometheus.yml");
  static final Path ALERT_RULE_TESTS = DOCKER.resolve("prometheus/tests/cvmsim-alerts.test.yml");

  private DeployFiles() {}

  /** Returns the text of {@code file}. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the single YAML document in {@code file} as a map. */
  static Map<String, Object> yamlMap(Path file) {
    return map(newYaml().load(read(file)));
  }

  /** Returns every non-empty document of a multi-document YAML text. */
  static List<Map<String, Object>> yamlDocuments(String text) {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : newYaml().loadAll(text)) {
      if (document != null) {
        documents.add(map(document));
      }
    }
    return documents;
  }

  /** Returns {@code value} as a YAML/JSON mapping, failing the test if it is something else. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  /** Returns {@code value} as a YAML/JSON sequence, failing the test if it is something else. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }

  /** Returns the value at a dotted path of nested maps, e.g. {@code "spec.template.spec"}. */
  static Object at(Map<String, Object> root, String dottedPath) {
    Object current = root;
    for (String key : dottedPath.split("\\.")) {
      assertThat(current).as("parent of '%s' in %s", key, dottedPath).isInstanceOf(Map.class);
      current = map(current).get(key);
    }
    return current;
  }

  /** The outcome of a finished process: its exit code and its merged stdout and stderr. */
  record ProcessResult(int exitCode, String output) {}

  /** Runs {@code command} in the project directory and waits up to a minute for it. */
  static ProcessResult run(List<String> command) {
    try {
      Path log = Files.createTempFile("cvmsim-tool", ".log");
      Process process =
          new ProcessBuilder(command)
              .directory(PROJECT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      process.getOutputStream().close();
      boolean finished = process.waitFor(60, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String output = read(log);
      Files.delete(log);
      if (!finished) {
        throw new AssertionError("timed out after 60s: " + command + "\n" + output);
      }
      return new ProcessResult(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }

  private static Yaml newYaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }
}
