package io.cvmsim.deploy;

import static io.cvmsim.deploy.DeployFiles.ALERT_RULES;
import static io.cvmsim.deploy.DeployFiles.ALERT_RULE_TESTS;
import static io.cvmsim.deploy.DeployFiles.PROJECT;
import static io.cvmsim.deploy.DeployFiles.PROMETHEUS_CONFIG;
import static io.cvmsim.deploy.DeployFiles.list;
import static io.cvmsim.deploy.DeployFiles.map;
import static io.cvmsim.deploy.DeployFiles.yamlMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.deploy.DeployFiles.ProcessResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (helm/cvmsim/rules/cvmsim-alerts.yml, the one copy) and the Prometheus config of
 * docker/compose.yaml: promtool checks them and runs their unit tests; plain Java checks the
 * conventions promtool does not know.
 */
class PrometheusRulesTest {

  @Test
  @RequiresTool("promtool")
  void promtoolCheckRules_alertRulesFile_isValid() {
    ProcessResult result = promtool("check", "rules", ALERT_RULES);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  @RequiresTool("promtool")
  void promtoolTestRules_everyAlertFiresAndStaysSilentAsSpecified() {
    ProcessResult result = promtool("test", "rules", ALERT_RULE_TESTS);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  @RequiresTool("promtool")
  void promtoolCheckConfig_composePrometheusConfig_isValidAndLoadsTheRules() {
    ProcessResult result = promtool("check", "config", PROMETHEUS_CONFIG);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .as("prometheus.yml must find the chart's rules file through its relative path")
        .contains("SUCCESS: 1 rule files found")
        .contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void everyAlert_hasSeverityAndSummaryAndDescription() {
    assertThat(alerts()).hasSizeGreaterThanOrEqualTo(4);
    for (Map<String, Object> alert : alerts()) {
      String name = (String) alert.get("alert");
      assertThat(name).as("alert name").startsWith("Cvm");
      assertThat(alert.get("expr")).as("%s expr", name).isInstanceOf(String.class);
      assertThat(map(alert.get("labels")).get("severity"))
          .as("%s severity", name)
          .isIn("critical", "warning", "info");
      Map<String, Object> annotations = map(alert.get("annotations"));
      assertThat(annotations.get("summary")).as("%s summary", name).isInstanceOf(String.class);
      assertThat(annotations.get("description"))
          .as("%s description", name)
          .isInstanceOf(String.class);
    }
  }

  @Test
  void everyAlert_isUnitTestedFiringAndSilent() {
    Map<String, Object> tests = yamlMap(ALERT_RULE_TESTS);
    assertThat(list(tests.get("rule_files")))
        .as("the unit tests must load the chart's rules file")
        .singleElement()
        .satisfies(
            file ->
                assertThat(ALERT_RULE_TESTS.getParent().resolve((String) file).normalize())
                    .isEqualTo(ALERT_RULES.normalize()));
    List<Map<String, Object>> cases = new ArrayList<>();
    for (Object test : list(tests.get("tests"))) {
      for (Object alertTest : list(map(test).get("alert_rule_test"))) {
        cases.add(map(alertTest));
      }
    }
    for (Map<String, Object> alert : alerts()) {
      String name = (String) alert.get("alert");
      assertThat(cases)
          .as("%s has a case where it fires", name)
          .anyMatch(c -> name.equals(c.get("alertname")) && !list(c.get("exp_alerts")).isEmpty());
      assertThat(cases)
          .as("%s has a case where it stays silent", name)
          .anyMatch(c -> name.equals(c.get("alertname")) && list(c.get("exp_alerts")).isEmpty());
    }
  }

  /** Returns every alerting rule of the rules file. */
  static List<Map<String, Object>> alerts() {
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Object group : list(yamlMap(ALERT_RULES).get("groups"))) {
      for (Object rule : list(map(group).get("rules"))) {
        if (map(rule).containsKey("alert")) {
          alerts.add(map(rule));
        }
      }
    }
    return alerts;
  }

  private static ProcessResult promtool(String command, String subcommand, Path file) {
    return DeployFiles.run(
        List.of("promtool", command, subcommand, PROJECT.relativize(file).toString()));
  }
}
