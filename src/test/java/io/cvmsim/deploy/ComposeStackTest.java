package io.cvmsim.deploy;

import static io.cvmsim.deploy.DeployFiles.ALERT_RULES;
import static io.cvmsim.deploy.DeployFiles.COMPOSE;
import static io.cvmsim.deploy.DeployFiles.DASHBOARD;
import static io.cvmsim.deploy.DeployFiles.DOCKER;
import static io.cvmsim.deploy.DeployFiles.PROMETHEUS_CONFIG;
import static io.cvmsim.deploy.DeployFiles.at;
import static io.cvmsim.deploy.DeployFiles.list;
import static io.cvmsim.deploy.DeployFiles.map;
import static io.cvmsim.deploy.DeployFiles.yamlMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml with its Prometheus and Grafana provisioning: the files parse, ports stay on
 * 127.0.0.1, and the mounts put the chart's one dashboard and one rules file where Grafana and
 * Prometheus look for them. (No compose binary here: this checks what the files say.)
 */
class ComposeStackTest {

  static final Map<String, Object> compose = yamlMap(COMPOSE);

  @Test
  void everyYamlFileUnderDocker_parses() throws IOException {
    try (Stream<Path> files = Files.walk(DOCKER)) {
      List<Path> yamlFiles =
          files
              .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
              .toList();
      assertThat(yamlFiles).hasSizeGreaterThanOrEqualTo(5);
      yamlFiles.forEach(DeployFiles::yamlMap);
    }
  }

  @Test
  void services_areCvmsimPrometheusAndGrafana_onLoopbackPortsOnly() {
    Map<String, Object> services = map(compose.get("services"));

    assertThat(services).containsOnlyKeys("cvmsim", "prometheus", "grafana");
    assertThat(list(at(compose, "services.cvmsim.ports"))).containsExactly("127.0.0.1:8080:8080");
    assertThat(list(at(compose, "services.prometheus.ports")))
        .containsExactly("127.0.0.1:9090:9090");
    assertThat(list(at(compose, "services.grafana.ports"))).containsExactly("127.0.0.1:3000:3000");
  }

  @Test
  void cvmsim_isBuiltFromTheDockerfileWithAnOverridableBaseImage() {
    Map<String, Object> cvmsim = map(at(compose, "services.cvmsim"));

    assertThat(at(cvmsim, "build.context")).isEqualTo("..");
    assertThat(at(cvmsim, "build.dockerfile")).isEqualTo("docker/Dockerfile");
    assertThat(at(cvmsim, "build.args.BASE_IMAGE"))
        .isEqualTo("${BASE_IMAGE:-eclipse-temurin:17-jre}");
    assertThat(cvmsim.get("image")).isEqualTo("cvmsim:" + HelmChartTest.chartAppVersion());
    assertThat(list(at(cvmsim, "healthcheck.test")).toString()).contains("/readyz");
    assertThat(cvmsim.get("read_only")).isEqualTo(true);
    assertThat(list(cvmsim.get("tmpfs"))).containsExactly("/tmp");
  }

  @Test
  void prometheus_loadsTheComposeConfigWhichFindsTheChartRulesInTheContainer() {
    List<Object> command = list(at(compose, "services.prometheus.command"));
    String configInContainer =
        command.stream()
            .map(String::valueOf)
            .filter(a -> a.startsWith("--config.file="))
            .map(a -> a.substring("--config.file=".length()))
            .findFirst()
            .orElseThrow();

    assertThat(hostPath("prometheus", configInContainer)).contains(PROMETHEUS_CONFIG.normalize());
    Map<String, Object> config = yamlMap(PROMETHEUS_CONFIG);
    for (Object ruleFile : list(config.get("rule_files"))) {
      String inContainer =
          Path.of(configInContainer).getParent().resolve((String) ruleFile).normalize().toString();
      assertThat(hostPath("prometheus", inContainer))
          .as("rule file %s in the container", inContainer)
          .contains(ALERT_RULES.normalize());
    }
  }

  @Test
  void prometheus_scrapesCvmsimEveryFiveSeconds() {
    Map<String, Object> config = yamlMap(PROMETHEUS_CONFIG);
    Map<String, Object> job = map(list(config.get("scrape_configs")).get(0));

    assertThat(at(config, "global.scrape_interval")).isEqualTo("5s");
    assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
    assertThat(list(map(list(job.get("static_configs")).get(0)).get("targets")))
        .containsExactly("cvmsim:8080");
  }

  @Test
  void grafana_isAnonymousViewerWithThePrometheusDatasource() {
    Map<String, Object> environment = map(at(compose, "services.grafana.environment"));
    assertThat(environment)
        .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
        .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");

    Map<String, Object> datasource =
        map(
            list(yamlMap(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml"))
                    .get("datasources"))
                .get(0));
    assertThat(datasource)
        .containsEntry("uid", "prometheus")
        .containsEntry("type", "prometheus")
        .containsEntry("url", "http://prometheus:9090")
        .containsEntry("isDefault", true);
  }

  @Test
  void grafana_loadsTheChartDashboardThroughTheMount() {
    Map<String, Object> provider =
        map(
            list(yamlMap(DOCKER.resolve("grafana/provisioning/dashboards/cvmsim.yaml"))
                    .get("providers"))
                .get(0));
    String folder = (String) at(provider, "options.path");

    assertThat(hostPath("grafana", folder + "/cvmsim.json")).contains(DASHBOARD.normalize());
    assertThat(hostPath("grafana", "/etc/grafana/provisioning/dashboards/cvmsim.yaml"))
        .contains(DOCKER.resolve("grafana/provisioning/dashboards/cvmsim.yaml").normalize());
    String home =
        (String)
            map(at(compose, "services.grafana.environment"))
                .get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertThat(hostPath("grafana", home)).contains(DASHBOARD.normalize());
  }

  @Test
  void everyBindMountSource_exists() {
    for (Map.Entry<String, Object> service : map(compose.get("services")).entrySet()) {
      Object volumes = map(service.getValue()).get("volumes");
      if (volumes == null) {
        continue;
      }
      for (Object volume : list(volumes)) {
        Path source = DOCKER.resolve(((String) volume).split(":")[0]).normalize();
        assertThat(source).as("%s: %s", service.getKey(), volume).exists();
      }
    }
  }

  /**
   * Returns the file on the host that a path inside a service's container shows, through the
   * service's bind mounts; empty when no mount covers it or the file does not exist.
   */
  static Optional<Path> hostPath(String service, String containerPath) {
    Object volumes = at(compose, "services." + service + ".volumes");
    for (Object volume : list(volumes)) {
      String[] parts = ((String) volume).split(":");
      String target = parts[1];
      if (containerPath.equals(target) || containerPath.startsWith(target + "/")) {
        Path host =
            DOCKER
                .resolve(parts[0])
                .resolve("./" + containerPath.substring(target.length()))
                .normalize();
        return Files.exists(host) ? Optional.of(host) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
