package io.cvmsim.deploy;

import static io.cvmsim.deploy.DeployFiles.ALERT_RULES;
import static io.cvmsim.deploy.DeployFiles.CHART;
import static io.cvmsim.deploy.DeployFiles.DASHBOARD;
import static io.cvmsim.deploy.DeployFiles.PROJECT;
import static io.cvmsim.deploy.DeployFiles.at;
import static io.cvmsim.deploy.DeployFiles.list;
import static io.cvmsim.deploy.DeployFiles.map;
import static io.cvmsim.deploy.DeployFiles.yamlDocuments;
import static io.cvmsim.deploy.DeployFiles.yamlMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helm chart helm/cvmsim, linted and rendered in-process by helm-java (Helm 3.16): defaults,
 * every optional feature on (ci/all-features-values.yaml), and values the schema must reject. The
 * rendered manifests are written to target/helm-template/ for inspection.
 */
class HelmChartTest {

  static final Path ALL_FEATURES = CHART.resolve("ci/all-features-values.yaml");
  static final String RELEASE = "demo";
  static final String FULLNAME = "demo-cvmsim";

  @TempDir static Path work;

  /** A copy of the chart without kubeVersion, for helm-java's template (see the class comment). */
  static Path renderable;

  static List<Map<String, Object>> defaults;
  static List<Map<String, Object>> allFeatures;

  @BeforeAll
  static void render() throws IOException {
    renderable = copyChart(work.resolve("renderable"));
    Path chartYaml = renderable.resolve("Chart.yaml");
    Files.writeString(
        chartYaml, Files.readString(chartYaml).replaceAll("(?m)^kubeVersion:.*\\R", ""));
    String defaultText = template().call();
    String allFeaturesText = template().withValuesFile(ALL_FEATURES).call();
    Path out = Files.createDirectories(PROJECT.resolve("target/helm-template"));
    Files.writeString(out.resolve("default.yaml"), defaultText);
    Files.writeString(out.resolve("all-features.yaml"), allFeaturesText);
    defaults = yamlDocuments(defaultText);
    allFeatures = yamlDocuments(allFeaturesText);
  }

  @Test
  void lint_defaults_passesStrict() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lint_everyOptionalFeatureOn_passesStrict(@TempDir Path dir) throws IOException {
    Path chart = copyChart(dir.resolve("cvmsim"));
    Map<String, Object> values = yamlMap(CHART.resolve("values.yaml"));
    deepMerge(values, yamlMap(ALL_FEATURES));
    Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(values));

    LintResult lint = new Helm(chart).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void template_defaults_rendersTheCoreObjectsOnly() {
    assertThat(defaults)
        .extracting(d -> d.get("kind") + "/" + at(d, "metadata.name"))
        .containsExactlyInAnyOrder(
            "ServiceAccount/" + FULLNAME,
            "ConfigMap/" + FULLNAME,
            "ConfigMap/" + FULLNAME + "-dashboard",
            "Service/" + FULLNAME,
            "Deployment/" + FULLNAME);
  }

  @Test
  void template_everyOptionalFeatureOn_rendersEveryObject() {
    assertThat(allFeatures)
        .extracting(d -> (String) d.get("kind"))
        .contains(
            "Ingress", "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule", "Deployment");
  }

  @Test
  void deployment_probesHitTheNamedPort8080() {
    Map<String, Object> container = container(defaults);

    assertThat(list(container.get("ports")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(map(p).get("name")).isEqualTo("http");
              assertThat(map(p).get("containerPort")).isEqualTo(8080);
            });
    assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/livez");
    assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/readyz");
    assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/livez");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(at(container, probe + ".httpGet.port")).as(probe).isEqualTo("http");
    }
  }

  @Test
  void deployment_runsLockedDown() {
    Map<String, Object> deployment = find(defaults, "Deployment");
    Map<String, Object> pod = map(at(deployment, "spec.template.spec"));
    Map<String, Object> container = container(defaults);

    assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
    assertThat(at(pod, "securityContext.fsGroup")).isEqualTo(10001);
    assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
    assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
    assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(list(at(container, "securityContext.capabilities.drop"))).containsExactly("ALL");
    assertThat(at(container, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");

    assertThat(list(container.get("volumeMounts")))
        .extracting(m -> map(m).get("name") + "@" + map(m).get("mountPath"))
        .containsExactlyInAnyOrder("tmp@/tmp", "config@/config", "state@/var/lib/cvmsim");
    Map<String, Object> tmp = named(list(pod.get("volumes")), "tmp");
    assertThat(tmp).containsKey("emptyDir");
    assertThat(map(find(defaults, "ServiceAccount")).get("automountServiceAccountToken"))
        .isEqualTo(false);
  }

  @Test
  void deployment_sizesTheJvmFromTheLimitAndReadsConfigFromTheConfigMap() {
    Map<String, Object> container = container(defaults);
    Map<String, Object> pod = map(at(find(defaults, "Deployment"), "spec.template.spec"));

    assertThat(container.get("image")).isEqualTo("cvmsim:" + chartAppVersion());
    assertThat(env(container))
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70")
        .containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/")
        .doesNotContainKey("CVMSIM_SECURITY_API_TOKEN");
    assertThat(at(container, "resources.limits.memory")).isEqualTo("1Gi");
    assertThat(at(container, "resources.requests.cpu")).isEqualTo("250m");
    assertThat(at(container, "resources.requests.memory")).isEqualTo("512Mi");
    assertThat(at(named(list(pod.get("volumes")), "config"), "configMap.name")).isEqualTo(FULLNAME);
    assertThat(applicationYaml(defaults)).as("defaults override nothing").isNull();
  }

  @Test
  void deployment_restartsWhenTheConfigChanges() {
    String checksum = checksum(defaults);
    String changed = checksum(yamlDocuments(template().set("config.limits.max-vms", 3).call()));

    assertThat(checksum).isNotBlank();
    assertThat(changed).isNotEqualTo(checksum);
  }

  @Test
  void service_isClusterIpOnTheNamedHttpPort() {
    Map<String, Object> service = find(defaults, "Service");

    assertThat(at(service, "spec.type")).isEqualTo("ClusterIP");
    assertThat(list(at(service, "spec.ports")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(map(p).get("name")).isEqualTo("http");
              assertThat(map(p).get("port")).isEqualTo(8080);
              assertThat(map(p).get("targetPort")).isEqualTo("http");
            });
  }

  @Test
  void configMap_rendersConfigUnderCvmsimAndExtraConfigAtTheTop() {
    Map<String, Object> application = map(applicationYaml(allFeatures));

    assertThat(at(application, "cvmsim.limits.max-vms")).isEqualTo(8);
    assertThat(at(application, "cvmsim.limits.max-memory-per-vm")).isEqualTo("4TiB");
    assertThat(((Number) at(application, "cvmsim.limits.max-total-memory")).longValue())
        .as("a large byte count stays an exact integer")
        .isEqualTo(70368744177664L);
    assertThat(at(application, "cvmsim.jobs.threads")).isEqualTo(1);
    assertThat(at(application, "cvmsim.default-seed")).isEqualTo(7);
    assertThat(map(at(application, "cvmsim")).keySet()).doesNotContain("unused");
    assertThat(map(at(application, "logging.level")).get("io.cvmsim")).isEqualTo("DEBUG");
  }

  @Test
  void apiToken_comesFromTheExistingSecretOnly() {
    Map<String, Object> token =
        named(list(container(allFeatures).get("env")), "CVMSIM_SECURITY_API_TOKEN");

    assertThat(token).doesNotContainKey("value");
    assertThat(at(token, "valueFrom.secretKeyRef.name")).isEqualTo("cvmsim-token");
    assertThat(at(token, "valueFrom.secretKeyRef.key")).isEqualTo("token");
  }

  @Test
  void optionalObjects_pointAtTheService() {
    Map<String, Object> ingress = find(allFeatures, "Ingress");
    assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
    Map<String, Object> rule = map(list(at(ingress, "spec.rules")).get(0));
    Map<String, Object> path = map(list(at(rule, "http.paths")).get(0));
    assertThat(at(path, "backend.service.name")).isEqualTo(FULLNAME);
    assertThat(at(path, "backend.service.port.number")).isEqualTo(8080);
    assertThat(list(at(ingress, "spec.tls"))).hasSize(1);

    Map<String, Object> monitor = find(allFeatures, "ServiceMonitor");
    assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
    Map<String, Object> endpoint = map(list(at(monitor, "spec.endpoints")).get(0));
    assertThat(endpoint)
        .containsEntry("port", "http")
        .containsEntry("path", "/actuator/prometheus")
        .containsEntry("interval", "15s");
    assertThat(map(at(monitor, "metadata.labels")))
        .containsEntry("release", "kube-prometheus-stack");

    Map<String, Object> budget = find(allFeatures, "PodDisruptionBudget");
    assertThat(at(budget, "spec.minAvailable")).isEqualTo(1);
    assertThat(map(at(budget, "spec"))).doesNotContainKey("maxUnavailable");
  }

  @Test
  void dashboardConfigMap_holdsTheDashboardFile() {
    Map<String, Object> configMap = named(defaults, FULLNAME + "-dashboard");
    JsonMapper json = JsonMapper.builder().build();

    assertThat(map(at(configMap, "metadata.labels"))).containsEntry("grafana_dashboard", "1");
    assertThat(json.readTree((String) map(configMap.get("data")).get("cvmsim.json")))
        .isEqualTo(json.readTree(DASHBOARD));
  }

  @Test
  void prometheusRule_holdsTheRulesFile() {
    Map<String, Object> rule = find(allFeatures, "PrometheusRule");

    assertThat(rule.get("spec")).isEqualTo(yamlMap(ALERT_RULES));
  }

  @Test
  void disabledToggles_leaveTheirObjectsOut() {
    List<Map<String, Object>> documents =
        yamlDocuments(
            template()
                .set("grafanaDashboard.enabled", false)
                .set("serviceAccount.create", false)
                .call());

    assertThat(documents)
        .extracting(d -> (String) d.get("kind"))
        .containsExactlyInAnyOrder("ConfigMap", "Service", "Deployment");
    assertThat(at(find(documents, "Deployment"), "spec.template.spec.serviceAccountName"))
        .isEqualTo("default");
  }

  @Test
  void helmJava_stillPretendsKubernetes120() {
    assertThatThrownBy(() -> new Helm(CHART).template().withName(RELEASE).call())
        .as("helm-java now renders for a real Kubernetes version: render CHART itself")
        .hasMessageContaining("incompatible with Kubernetes v1.20.0");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "replicaCount, two",
    "unknownTopLevelKey, 1",
    "service.port, -1",
    "service.port, 70000",
    "image.pullPolicy, Sometimes",
    "jvm.maxRamPercentage, 150",
    "config.limits.max-vmz, 8",
    "config.limits.max-vms, many",
    "config.limits.max-memory-per-vm, lots",
    "serviceMonitor.interval, often",
    "extraConfig.cvmsim.limits.max-vms, 8",
    "persistence.size, lots",
    "persistence.mountPath, relative/dir",
    "persistence.enabled, yes",
    "config.state.interval, soon",
    "config.state.dir, /elsewhere",
  })
  void invalidValues_areRejectedByTheSchema(String key, String value) {
    assertThatThrownBy(() -> template().set(key, value).call())
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void chartAppVersion_equalsTheMavenVersionWithoutSnapshot() throws Exception {
    var pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(PROJECT.resolve("pom.xml").toFile());
    String version = null;
    var children = pom.getDocumentElement().getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if ("version".equals(children.item(i).getNodeName())) {
        version = children.item(i).getTextContent().trim();
      }
    }

    assertThat(version).as("project version in pom.xml").isNotBlank();
    assertThat(chartAppVersion()).isEqualTo(version.replaceFirst("-SNAPSHOT$", ""));
  }

  @Test
  void readme_documentsEveryValue() {
    String readme = DeployFiles.read(CHART.resolve("README.md"));
    Set<String> wholeObjects = Set.of("podSecurityContext", "securityContext", "resources");
    Map<String, Object> values = yamlMap(CHART.resolve("values.yaml"));
    for (Map.Entry<String, Object> value : values.entrySet()) {
      String key = value.getKey();
      if (value.getValue() instanceof Map<?, ?> children
          && !children.isEmpty()
          && !wholeObjects.contains(key)) {
        children
            .keySet()
            .forEach(child -> assertThat(readme).contains("`" + key + "." + child + "`"));
      } else {
        assertThat(readme).contains("`" + key + "`");
      }
    }
  }

  // ------------------------------------------------------------------ durable state

  private static Map<String, Object> volume(List<Map<String, Object>> documents, String name) {
    return named(list(at(find(documents, "Deployment"), "spec.template.spec.volumes")), name);
  }

  @Test
  void withoutPersistence_theStateDirectoryIsAnEmptyDir_thatTheAppIsToldAbout() {
    Map<String, Object> deployment = find(defaults, "Deployment");

    assertThat(env(container(defaults))).containsEntry("CVMSIM_STATE_DIR", "/var/lib/cvmsim");
    assertThat(at(volume(defaults, "state"), "emptyDir.sizeLimit")).isEqualTo("1Gi");
    assertThat(map(deployment.get("spec"))).doesNotContainKey("strategy");
    assertThat(defaults)
        .extracting(d -> (String) d.get("kind"))
        .doesNotContain("PersistentVolumeClaim");
  }

  @Test
  void withPersistence_theStateDirectoryIsAClaim_andThePodIsRecreatedNotRolled() {
    List<Map<String, Object>> docs =
        yamlDocuments(
            template()
                .set("persistence.enabled", true)
                .set("persistence.size", "5Gi")
                .set("persistence.storageClass", "fast")
                .set("persistence.keep", true)
                .set("persistence.mountPath", "/state")
                .call());
    Map<String, Object> claim = find(docs, "PersistentVolumeClaim");

    assertThat(at(claim, "metadata.name")).isEqualTo(FULLNAME + "-state");
    assertThat(at(claim, "spec.resources.requests.storage")).isEqualTo("5Gi");
    assertThat(at(claim, "spec.storageClassName")).isEqualTo("fast");
    assertThat(list(at(claim, "spec.accessModes"))).containsExactly("ReadWriteOnce");
    assertThat(map(at(claim, "metadata.annotations")))
        .containsEntry("helm.sh/resource-policy", "keep");
    assertThat(at(volume(docs, "state"), "persistentVolumeClaim.claimName"))
        .isEqualTo(FULLNAME + "-state");
    assertThat(env(container(docs))).containsEntry("CVMSIM_STATE_DIR", "/state");
    assertThat(list(container(docs).get("volumeMounts")))
        .extracting(m -> map(m).get("name") + "@" + map(m).get("mountPath"))
        .contains("state@/state");
    assertThat(at(find(docs, "Deployment"), "spec.strategy.type")).isEqualTo("Recreate");
  }

  @Test
  void withAnExistingClaim_thatClaimIsMounted_andNoneIsCreated() {
    List<Map<String, Object>> docs =
        yamlDocuments(
            template()
                .set("persistence.enabled", true)
                .set("persistence.existingClaim", "my-state")
                .call());

    assertThat(docs)
        .extracting(d -> (String) d.get("kind"))
        .doesNotContain("PersistentVolumeClaim");
    assertThat(at(volume(docs, "state"), "persistentVolumeClaim.claimName")).isEqualTo("my-state");
  }

  @Test
  void persistenceWithMoreThanOneReplica_refusesToRender() {
    assertThatThrownBy(
            () -> template().set("persistence.enabled", true).set("replicaCount", 2).call())
        .hasMessageContaining("persistence.enabled needs replicaCount 1");
  }

  @Test
  void persistence_lintsStrict(@TempDir Path dir) throws IOException {
    Path chart = copyChart(dir.resolve("cvmsim"));
    Map<String, Object> values = yamlMap(CHART.resolve("values.yaml"));
    deepMerge(
        values,
        Map.of("persistence", new LinkedHashMap<>(Map.of("enabled", true, "storageClass", "x"))));
    Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(values));

    LintResult lint = new Helm(chart).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  // ------------------------------------------------------------------ sweeps

  static final String SWEEP_FILE =
      "name: k8s\nmemorySizes: [1GiB, 2GiB]\npolicies: [LAZY, EAGER]\nmeasures: [boot.seconds]\n";

  /** Renders with the sweep on, the values given as YAML lines added to the sweep block. */
  private static List<Map<String, Object>> sweep(String... sweepValues) throws IOException {
    StringBuilder v = new StringBuilder("sweep:\n  enabled: true\n  file: |\n");
    SWEEP_FILE.lines().forEach(l -> v.append("    ").append(l).append('\n'));
    for (String line : sweepValues) {
      v.append("  ").append(line).append('\n');
    }
    Path values = Files.writeString(Files.createTempFile(work, "sweep", ".yaml"), v);
    return yamlDocuments(template().withValuesFile(values).call());
  }

  private static Map<String, Object> job(List<Map<String, Object>> documents, String suffix) {
    return documents.stream()
        .filter(d -> "Job".equals(d.get("kind")))
        .filter(d -> ((String) at(d, "metadata.name")).endsWith(suffix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Job named *" + suffix));
  }

  private static String sweepHash() {
    return io.cvmsim.sweep.SweepParser.sha256(SWEEP_FILE).substring(0, 12);
  }

  @Test
  void sweepOff_rendersNoJobClaimOrSweepConfigMap() {
    assertThat(defaults)
        .extracting(d -> (String) d.get("kind"))
        .doesNotContain("Job", "PersistentVolumeClaim");
  }

  @Test
  void sweep_rendersAnIndexedJobWithOneCompletionPerShard() throws IOException {
    List<Map<String, Object>> docs = sweep("shards: 5", "parallelism: 3");
    String name = FULLNAME + "-sweep-" + sweepHash();

    assertThat(docs)
        .extracting(d -> d.get("kind") + "/" + at(d, "metadata.name"))
        .contains(
            "ConfigMap/" + name,
            "PersistentVolumeClaim/" + FULLNAME + "-sweep",
            "Job/" + name,
            "Job/" + name + "-merge");
    Map<String, Object> shards = job(docs, "-sweep-" + sweepHash());
    assertThat(at(shards, "spec.completionMode")).isEqualTo("Indexed");
    assertThat(at(shards, "spec.completions")).isEqualTo(5);
    assertThat(at(shards, "spec.parallelism")).isEqualTo(3);
    assertThat(at(shards, "spec.template.spec.restartPolicy")).isEqualTo("Never");
  }

  @Test
  void sweepShards_takeTheirIndexFromJobCompletionIndex_andWriteIntoTheFilesDirectory()
      throws IOException {
    Map<String, Object> shards = job(sweep("shards: 5"), "-sweep-" + sweepHash());
    Map<String, Object> c = map(list(at(shards, "spec.template.spec.containers")).get(0));
    String dir = "/data/" + RELEASE + "/" + sweepHash();

    assertThat(list(c.get("args")))
        .containsExactly(
            "--cvmsim.sweep=/sweep/sweep.yaml",
            "--cvmsim.sweep.shard=$(JOB_COMPLETION_INDEX)/5",
            "--cvmsim.sweep.out=" + dir + "/shards");
    Map<String, Object> index = named(list(c.get("env")), "JOB_COMPLETION_INDEX");
    assertThat(at(index, "valueFrom.fieldRef.fieldPath"))
        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    assertThat(env(c)).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/");
    assertThat(at(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
  }

  @Test
  void sweepPods_mountTheFileTheConfigAndTheSharedClaim() throws IOException {
    List<Map<String, Object>> docs = sweep();
    for (String suffix : List.of("-sweep-" + sweepHash(), "-merge")) {
      Map<String, Object> pod = map(at(job(docs, suffix), "spec.template.spec"));
      Map<String, Object> c = map(list(pod.get("containers")).get(0));
      assertThat(list(c.get("volumeMounts")))
          .extracting(m -> map(m).get("name") + "@" + map(m).get("mountPath"))
          .containsExactlyInAnyOrder("tmp@/tmp", "config@/config", "sweep@/sweep", "data@/data");
      List<Object> volumes = list(pod.get("volumes"));
      assertThat(at(named(volumes, "data"), "persistentVolumeClaim.claimName"))
          .isEqualTo(FULLNAME + "-sweep");
      assertThat(at(named(volumes, "sweep"), "configMap.name"))
          .isEqualTo(FULLNAME + "-sweep-" + sweepHash());
      assertThat(at(named(volumes, "config"), "configMap.name")).isEqualTo(FULLNAME);
      assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
      assertThat(map(at(job(docs, suffix), "spec.template.metadata.labels")))
          .as("sweep pods are never selected by the Service or the PodDisruptionBudget")
          .doesNotContainEntry("app.kubernetes.io/name", "cvmsim");
    }
    Map<String, Object> file =
        map(
            at(
                named(
                    docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).toList(),
                    FULLNAME + "-sweep-" + sweepHash()),
                "data"));
    assertThat(file).containsEntry("sweep.yaml", SWEEP_FILE);
    Map<String, Object> claim =
        docs.stream()
            .filter(d -> "PersistentVolumeClaim".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();
    assertThat(list(at(claim, "spec.accessModes"))).containsExactly("ReadWriteMany");
    assertThat(map(at(claim, "metadata.annotations")))
        .containsEntry("helm.sh/resource-policy", "keep");
  }

  @Test
  void sweepMerge_waitsForEveryShardThenMergesIntoTheTable(@TempDir Path tmp) throws IOException {
    Map<String, Object> merge = job(sweep("shards: 3"), "-merge");
    Map<String, Object> pod = map(at(merge, "spec.template.spec"));
    String dir = "/data/" + RELEASE + "/" + sweepHash();
    Map<String, Object> c = map(list(pod.get("containers")).get(0));
    assertThat(list(c.get("args")))
        .containsExactly(
            "--cvmsim.sweep.merge=" + dir + "/shards", "--cvmsim.sweep.out=" + dir + "/table");
    Map<String, Object> wait = map(list(pod.get("initContainers")).get(0));
    String script = (String) list(wait.get("command")).get(2);

    Path shards = Files.createDirectories(tmp.resolve("shards"));
    String local =
        script.replace(dir, tmp.toString()).replace("sleep 10", "sleep 0").replace("86400", "1");
    for (int i = 0; i < 3; i++) {
      assertThat(DeployFiles.run(List.of("sh", "-c", local)).exitCode())
          .as("%d of 3 shards", i)
          .isEqualTo(1);
      Files.writeString(shards.resolve("k8s.shard-" + i + "-of-3.csv"), "");
      Files.writeString(shards.resolve("k8s.shard-" + i + "-of-3.jsonl"), "");
    }
    Files.writeString(shards.resolve("k8s.shard-0-of-2.jsonl"), "");
    DeployFiles.ProcessResult done = DeployFiles.run(List.of("sh", "-c", local));
    assertThat(done.exitCode()).as(done.output()).isZero();
    assertThat(done.output()).contains("all 3 shards are there");
  }

  @Test
  void sweepWithAnExistingClaim_createsNoClaim() throws IOException {
    List<Map<String, Object>> docs = sweep("persistence:", "  existingClaim: results");

    assertThat(docs)
        .extracting(d -> (String) d.get("kind"))
        .doesNotContain("PersistentVolumeClaim");
    Map<String, Object> pod = map(at(job(docs, "-merge"), "spec.template.spec"));
    assertThat(at(named(list(pod.get("volumes")), "data"), "persistentVolumeClaim.claimName"))
        .isEqualTo("results");
  }

  @Test
  void sweepWithoutAFile_isRefused() {
    assertThatThrownBy(() -> template().set("sweep.enabled", "true").call())
        .hasMessageContaining("sweep");
    assertThatThrownBy(() -> template().set("sweep.shards", "0").call())
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  static String chartAppVersion() {
    return String.valueOf(yamlMap(CHART.resolve("Chart.yaml")).get("appVersion"));
  }

  private static TemplateCommand template() {
    return new Helm(renderable).template().withName(RELEASE).withNamespace("cvmsim");
  }

  private static Map<String, Object> find(List<Map<String, Object>> documents, String kind) {
    return documents.stream()
        .filter(d -> kind.equals(d.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
  }

  /** Returns the element whose metadata.name (objects) or name (list items) is {@code name}. */
  private static Map<String, Object> named(List<?> items, String name) {
    return items.stream()
        .map(DeployFiles::map)
        .filter(
            i ->
                name.equals(i.get("name"))
                    || (i.get("metadata") instanceof Map<?, ?> m && name.equals(m.get("name"))))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing named " + name + " in " + items));
  }

  private static Map<String, Object> container(List<Map<String, Object>> documents) {
    return map(list(at(find(documents, "Deployment"), "spec.template.spec.containers")).get(0));
  }

  private static Map<String, Object> env(Map<String, Object> container) {
    Map<String, Object> env = new LinkedHashMap<>();
    for (Object variable : list(container.get("env"))) {
      env.put((String) map(variable).get("name"), map(variable).get("value"));
    }
    return env;
  }

  private static Object applicationYaml(List<Map<String, Object>> documents) {
    List<Map<String, Object>> configMaps =
        documents.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).toList();
    String text = (String) map(at(named(configMaps, FULLNAME), "data")).get("application.yaml");
    return new Yaml().load(text);
  }

  private static String checksum(List<Map<String, Object>> documents) {
    return (String)
        map(at(find(documents, "Deployment"), "spec.template.metadata.annotations"))
            .get("checksum/config");
  }

  private static Path copyChart(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.writeString(copy, Files.readString(source, StandardCharsets.UTF_8));
        }
      }
    }
    return target;
  }

  @SuppressWarnings("unchecked")
  private static void deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
    overlay.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> && base.get(key) instanceof Map<?, ?>) {
            deepMerge((Map<String, Object>) base.get(key), (Map<String, Object>) value);
          } else {
            base.put(key, value);
          }
        });
  }
}
