package io.cvmsim.deploy;

import static io.cvmsim.deploy.DeployFiles.DASHBOARD;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.deploy.DeployFiles.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard (helm/cvmsim/dashboards/cvmsim.json, the one copy): every panel is
 * documented, uses the templated datasource and a unit, and queries only metric names of the
 * METRICS.md contract or the standard JVM and HTTP server metrics.
 */
class GrafanaDashboardTest {

  /**
   * METRICS.md's table as Prometheus names. Keep in step with /work/shared/design/METRICS.md: a
   * name added there goes here before the dashboard may use it.
   */
  static final Set<String> CONTRACT_METRICS =
      Set.of(
          "cvm_vms",
          "cvm_meminfo_total_bytes",
          "cvm_meminfo_free_bytes",
          "cvm_meminfo_available_bytes",
          "cvm_meminfo_unaccepted_bytes",
          "cvm_zone_free_pages",
          "cvm_zone_unaccepted_pages",
          "cvm_zone_watermark_pages",
          "cvm_buddy_free_blocks",
          "cvm_extfrag_index",
          "cvm_unusable_free_index",
          "cvm_extfrag_events_total",
          "cvm_page_alloc_total",
          "cvm_page_free_total",
          "cvm_accepted_bytes_total",
          "cvm_accept_operations_total",
          "cvm_accept_simulated_seconds_total",
          "cvm_host_backed_bytes");

  /** The one contract metric that is not per VM (no {@code vm} label). */
  static final Set<String> NOT_PER_VM = Set.of("cvm_vms");

  /** Standard Micrometer/Spring Boot series the dashboard may use besides the contract. */
  static final Pattern STANDARD_METRIC =
      Pattern.compile("jvm_[a-z0-9_]+|http_server_requests_seconds_(count|sum|max|bucket)");

  private static final Set<String> PROMQL_KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan");

  private static final String DATASOURCE = "${datasource}";

  static JsonNode dashboard;

  @BeforeAll
  static void readDashboard() {
    dashboard = JsonMapper.builder().build().readTree(DASHBOARD);
  }

  @Test
  void dashboard_hasItsUidTitleAndSchema() {
    assertThat(dashboard.path("uid").asString()).isEqualTo("cvmsim");
    assertThat(dashboard.path("title").asString())
        .isEqualTo("cvmsim — confidential VM guest memory");
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.has("__inputs"))
        .as("no import-time ${DS_...} inputs: file provisioning and the sidecar cannot fill them")
        .isFalse();
  }

  @Test
  void templating_hasDatasourceAndMultiValueVmVariables() {
    Map<String, JsonNode> variables = variables();
    JsonNode datasource = variables.get("datasource");
    assertThat(datasource).as("datasource variable").isNotNull();
    assertThat(datasource.path("type").asString()).isEqualTo("datasource");
    assertThat(datasource.path("query").asString()).isEqualTo("prometheus");

    JsonNode vm = variables.get("vm");
    assertThat(vm).as("vm variable").isNotNull();
    assertThat(variableQuery(vm))
        .startsWith("label_values(cvm_meminfo_total_bytes")
        .endsWith(", vm)");
    assertThat(vm.path("multi").asBoolean()).isTrue();
    assertThat(vm.path("includeAll").asBoolean()).isTrue();

    for (JsonNode variable : variables.values()) {
      if (variable.path("type").asString().equals("query")) {
        assertThat(variable.path("datasource").path("uid").asString())
            .as("variable %s datasource", variable.path("name").asString())
            .isEqualTo(DATASOURCE);
      }
    }
  }

  @Test
  void everyPanel_hasTitleDescriptionUnitAndTheTemplatedDatasource() {
    List<JsonNode> panels = panels();
    assertThat(panels).hasSizeGreaterThanOrEqualTo(15);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      String title = panel.path("title").asString("");
      assertThat(title).as("panel %s title", panel.path("id")).isNotBlank();
      assertThat(ids.add(panel.path("id").asInt())).as("%s: unique id", title).isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).as("%s: gridPos", title).isPositive();
      if (isRow(panel)) {
        assertThat(panel.path("targets").isEmpty()).as("row %s has no queries", title).isTrue();
        continue;
      }
      assertThat(panel.path("description").asString("")).as("%s: description", title).isNotBlank();
      assertThat(panel.path("fieldConfig").path("defaults").path("unit").asString(""))
          .as("%s: fieldConfig.defaults.unit", title)
          .isNotBlank();
      assertThat(panel.path("datasource").path("type").asString()).isEqualTo("prometheus");
      assertThat(panel.path("datasource").path("uid").asString())
          .as("%s: datasource", title)
          .isEqualTo(DATASOURCE);
      assertThat(panel.path("targets").size()).as("%s: targets", title).isPositive();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("expr").asString("")).as("%s: target expr", title).isNotBlank();
        if (target.has("datasource")) {
          assertThat(target.path("datasource").path("uid").asString())
              .as("%s: target datasource", title)
              .isEqualTo(DATASOURCE);
        }
      }
    }
  }

  @Test
  void everyQuery_usesOnlyContractOrStandardMetrics() {
    for (Map.Entry<String, String> query : queries().entrySet()) {
      Set<String> names = metricNames(query.getValue());
      assertThat(names).as("%s: metrics in %s", query.getKey(), query.getValue()).isNotEmpty();
      for (String name : names) {
        assertThat(CONTRACT_METRICS.contains(name) || STANDARD_METRIC.matcher(name).matches())
            .as("%s: '%s' is neither in METRICS.md nor a JVM/HTTP metric", query.getKey(), name)
            .isTrue();
      }
    }
  }

  @Test
  void everyQuery_filtersByJobAndPerVmMetricsByVm() {
    for (Map.Entry<String, String> query : queries().entrySet()) {
      // The job and vm variables list the values they filter by, so they cannot filter by them.
      boolean filterByJob = !query.getKey().equals("variable job");
      boolean filterByVm = filterByJob && !query.getKey().equals("variable vm");
      String expr = query.getValue();
      for (String name : metricNames(expr)) {
        Matcher selector =
            Pattern.compile("(?<![\\w:])" + name + "(?![\\w:])(\\{[^}]*})?").matcher(expr);
        while (selector.find()) {
          String matchers = selector.group(1) == null ? "" : selector.group(1);
          if (filterByJob) {
            assertThat(matchers).as("%s: %s", query.getKey(), expr).contains("job=~\"$job\"");
          }
          if (filterByVm && name.startsWith("cvm_") && !NOT_PER_VM.contains(name)) {
            assertThat(matchers).as("%s: %s", query.getKey(), expr).contains("vm=~\"$vm\"");
          }
        }
      }
    }
  }

  @Test
  void everyRange_isRateIntervalOrDashboardRange() {
    for (Map.Entry<String, String> query : queries().entrySet()) {
      Matcher range = Pattern.compile("\\[([^]]*)]").matcher(query.getValue());
      while (range.find()) {
        assertThat(range.group(1))
            .as("%s: %s", query.getKey(), query.getValue())
            .isIn("$__rate_interval", "$__range");
      }
    }
  }

  @Test
  void dashboard_coversTheMetricsOfEveryRequiredPanel() {
    Set<String> used = new TreeSet<>();
    queries().values().forEach(expr -> used.addAll(metricNames(expr)));
    assertThat(used)
        .contains(
            "cvm_vms",
            "cvm_meminfo_total_bytes",
            "cvm_meminfo_free_bytes",
            "cvm_meminfo_unaccepted_bytes",
            "cvm_accepted_bytes_total",
            "cvm_accept_operations_total",
            "cvm_accept_simulated_seconds_total",
            "cvm_host_backed_bytes",
            "cvm_extfrag_events_total",
            "cvm_buddy_free_blocks",
            "cvm_extfrag_index",
            "cvm_unusable_free_index",
            "cvm_page_alloc_total",
            "cvm_zone_watermark_pages",
            "cvm_zone_free_pages",
            "http_server_requests_seconds_count",
            "http_server_requests_seconds_sum");
  }

  @Test
  @RequiresTool("promtool")
  void everyQuery_parsesAsPromql(@TempDir Path dir) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (String expr : queries().values()) {
      String concrete =
          expr.replace("$__rate_interval", "1m")
              .replace("$__range", "1h")
              .replaceAll("\\$(job|vm|zone)", ".*");
      if (concrete.startsWith("label_values(")) {
        concrete = concrete.substring("label_values(".length(), concrete.lastIndexOf(','));
      }
      rules
          .append("      - record: dashboard:query_")
          .append(n++)
          .append("\n        expr: '")
          .append(concrete.replace("'", "''"))
          .append("'\n");
    }
    Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);

    ProcessResult result = DeployFiles.run(List.of("promtool", "check", "rules", file.toString()));

    assertThat(result.exitCode()).as(result.output() + "\n" + rules).isZero();
    assertThat(result.output()).contains("SUCCESS: " + n + " rules found");
  }

  /** Returns the metric names a PromQL expression selects (or a label_values() query reads). */
  static Set<String> metricNames(String expr) {
    String stripped =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", "{}")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\[[^]]*]", "[]")
            .replaceAll("\\$\\w+", " ");
    if (stripped.startsWith("label_values(")) {
      stripped = stripped.substring("label_values(".length(), stripped.lastIndexOf(','));
    }
    Set<String> names = new TreeSet<>();
    Matcher token = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*)(\\s*\\()?").matcher(stripped);
    while (token.find()) {
      boolean isFunctionCall = token.group(2) != null;
      String word = token.group(1);
      if (!isFunctionCall && !PROMQL_KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /** Returns every panel, rows and repeated panels included, nested row panels flattened. */
  static List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      for (JsonNode nested : panel.path("panels")) {
        panels.add(nested);
      }
    }
    return panels;
  }

  /** Returns every query of the dashboard, panel targets and query variables, by where it is. */
  static Map<String, String> queries() {
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            "panel '" + panel.path("title").asString() + "' " + target.path("refId").asString(),
            target.path("expr").asString());
      }
    }
    for (JsonNode variable : variables().values()) {
      if (variable.path("type").asString().equals("query")) {
        queries.put("variable " + variable.path("name").asString(), variableQuery(variable));
      }
    }
    return queries;
  }

  private static Map<String, JsonNode> variables() {
    Map<String, JsonNode> variables = new LinkedHashMap<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      variables.put(variable.path("name").asString(), variable);
    }
    return variables;
  }

  private static String variableQuery(JsonNode variable) {
    JsonNode query = variable.path("query");
    return query.isObject() ? query.path("query").asString() : query.asString();
  }

  private static boolean isRow(JsonNode panel) {
    return panel.path("type").asString().equals("row");
  }
}
