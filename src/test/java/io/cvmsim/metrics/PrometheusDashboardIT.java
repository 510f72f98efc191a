package io.cvmsim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmViews;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard against a real Prometheus: starts the service and a lazily accepting 4 GiB TDX
 * guest under a small allocation load (a job that allocates and frees every 100 ms, so unaccepted
 * memory drains and the accept, allocation and extfrag counters move), lets a Prometheus child
 * process scrape {@code /actuator/prometheus} every second, then evaluates every PromQL expression
 * of helm/cvmsim/dashboards/cvmsim.json (each must parse and return data for that guest) and every
 * alert rule expression of helm/cvmsim/rules/cvmsim-alerts.yml (each must parse).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MetricsTestBeans.class)
@RequiresPrometheus
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusDashboardIT {

  static final Path DASHBOARD = Path.of("helm/cvmsim/dashboards/cvmsim.json");
  static final Path ALERT_RULES = Path.of("helm/cvmsim/rules/cvmsim-alerts.yml");

  static final String JOB = "cvmsim-it";
  static final String VM = "it-tdx";

  /**
   * What Grafana's variables become. The ranges cover every scrape of the run (it lasts well under
   * a minute); {@code $vm} picks the test's guest; {@code $zone} is "All".
   */
  static final Map<String, String> VARIABLES =
      Map.of(
          "__rate_interval", "1m",
          "__range", "1h",
          "job", JOB,
          "vm", VM,
          "zone", ".*");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  private static final Pattern METRIC_NAME =
      Pattern.compile("(?<![\\w:])(cvm_\\w+|jvm_\\w+|http_server_requests_\\w+)(?![\\w:])");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)", Pattern.DOTALL);

  @LocalServerPort int port;

  @Autowired VmRegistry vms;

  @Autowired JobManager jobs;

  private final HttpClient http = HttpClient.newHttpClient();
  private GuestVm vm;
  private JobView load;
  private PrometheusServer prometheus;
  private Path dir;

  @BeforeAll
  void startGuestLoadAndPrometheus() throws Exception {
    vm = vms.create(VmMeterBinderTest.spec(VM, Platform.TDX, 4 * Sizes.GIB, BootStage.KERNEL));
    load = jobs.submit(vm.id(), "metrics-it-load", Map.of(), this::allocateAndFree);
    // requests outside /actuator, for the dashboard's HTTP panels (an unmapped path will do)
    for (int i = 0; i < 3; i++) {
      get("/metrics-it/no-such-page");
    }
    dir = Files.createTempDirectory("cvmsim-prometheus-it");
    prometheus =
        PrometheusServer.start(
            dir,
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: %s
                metrics_path: /actuator/prometheus
                static_configs:
                  - targets: ["127.0.0.1:%d"]
            """
                .formatted(JOB, port));
    prometheus.awaitData(
        "count_over_time(cvm_vms{job=\"" + JOB + "\"}[1m]) >= 5", Duration.ofSeconds(60));
  }

  @AfterAll
  void stopEverything() throws IOException, InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (load != null) {
      jobs.cancel(load.id());
      for (int i = 0; i < 100 && !jobs.get(load.id()).state().finished(); i++) {
        Thread.sleep(50);
      }
    }
    if (vm != null && !vm.isDeleted()) {
      vms.delete(vm.id());
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void everyDashboardQuery_parsesAndReturnsDataForTheGuest() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> query : dashboardQueries().entrySet()) {
      String expr = concrete(query.getValue());
      String label = null;
      Matcher labelValues = LABEL_VALUES.matcher(expr);
      if (labelValues.matches()) {
        expr = labelValues.group(1);
        label = labelValues.group(2);
      }
      JsonNode answer = prometheus.query(expr);
      if (!PrometheusServer.hasData(answer)) {
        problems.add(query.getKey() + ": " + expr + "\n    -> " + answer);
      } else if (label != null
          && !answer.path("data").path("result").get(0).path("metric").has(label)) {
        problems.add(query.getKey() + ": " + expr + " has no label " + label + ": " + answer);
      }
    }
    assertThat(problems)
        .as("dashboard queries without data\n%s", String.join("\n", problems))
        .isEmpty();
  }

  @Test
  void everyAlertRuleExpression_parses() throws Exception {
    List<String> problems = new ArrayList<>();
    int rules = 0;
    for (Map<String, Object> rule : alertRules()) {
      rules++;
      String expr = (String) rule.get("expr");
      JsonNode answer = prometheus.query(expr);
      if (!"success".equals(answer.path("status").asString())) {
        problems.add(rule.get("alert") + ": " + expr + "\n    -> " + answer);
      }
    }
    assertThat(rules).isGreaterThanOrEqualTo(4);
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void everyMetricNameOfTheDashboard_isServedByTheService() throws Exception {
    Set<String> used = new TreeSet<>();
    for (String expr : dashboardQueries().values()) {
      Matcher name = METRIC_NAME.matcher(expr);
      while (name.find()) {
        used.add(name.group(1));
      }
    }

    Set<String> served = PrometheusText.names(get("/actuator/prometheus"));

    assertThat(used).hasSizeGreaterThan(15);
    assertThat(served).containsAll(used);
  }

  @Test
  void unacceptedMemory_drainsAndAcceptCountersMove_asPrometheusSeesIt() throws Exception {
    JobView job = jobs.get(load.id());
    assertThat(job.state()).as("the load job (error: %s)", job.error()).isEqualTo(JobState.RUNNING);
    String vmSelector = "{job=\"" + JOB + "\", vm=\"" + VM + "\"";
    prometheus.awaitData(
        "increase(cvm_accepted_bytes_total" + vmSelector + ", trigger=\"allocator\"}[1m]) > 0",
        Duration.ofSeconds(30));
    prometheus.awaitData(
        "delta(cvm_meminfo_unaccepted_bytes" + vmSelector + "}[1m]) < 0", Duration.ofSeconds(30));
    prometheus.awaitData(
        "increase(cvm_page_alloc_total" + vmSelector + ", result=\"success\"}[1m]) > 0",
        Duration.ofSeconds(30));
  }

  /** The load: every 100 ms some movable, unmovable and reclaimable allocations, and a free. */
  private Object allocateAndFree(JobContext ctx) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(42);
    List<long[]> held = new ArrayList<>();
    while (!ctx.cancelled()) {
      held.add(pfns(vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 2048)));
      held.add(pfns(vm.allocate(Gfp.GFP_KERNEL, random.nextInt(4), 64)));
      held.add(pfns(vm.allocate(Gfp.GFP_KERNEL_RECLAIMABLE, 0, 64)));
      vm.free(held.remove(random.nextInt(held.size())));
      Thread.sleep(100);
    }
    return null;
  }

  private static long[] pfns(VmViews.Batch batch) {
    return batch.pfns();
  }

  private String get(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Returns every query of the dashboard (panel targets, query variables) by where it is. */
  static Map<String, String> dashboardQueries() throws IOException {
    JsonNode dashboard =
        JsonMapper.builder().build().readTree(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
    Map<String, String> queries = new LinkedHashMap<>();
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      for (JsonNode nested : panel.path("panels")) {
        panels.add(nested);
      }
    }
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            "panel '" + panel.path("title").asString() + "' " + target.path("refId").asString(),
            target.path("expr").asString());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asString().equals("query")) {
        JsonNode query = variable.path("query");
        queries.put(
            "variable " + variable.path("name").asString(),
            query.isObject() ? query.path("query").asString() : query.asString());
      }
    }
    assertThat(queries).hasSizeGreaterThan(20);
    return queries;
  }

  /** Returns {@code expr} with Grafana's variables replaced by {@link #VARIABLES}. */
  static String concrete(String expr) {
    Matcher variable = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (variable.find()) {
      String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
      String value = VARIABLES.get(name);
      assertThat(value).as("Grafana variable $%s in %s", name, expr).isNotNull();
      variable.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    variable.appendTail(out);
    return out.toString();
  }

  /** Returns every rule (alerting or recording) of the rules file. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> alertRules() throws IOException {
    Map<String, Object> file =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(ALERT_RULES, StandardCharsets.UTF_8));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<Object>) file.get("groups")) {
      rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
    }
    return rules;
  }
}
