package io.cvmsim.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HealthCheck;
import io.cvmsim.support.RequiresDocker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the service image from {@code docker/Dockerfile} with the jar this build just packaged,
 * runs it, and checks it over HTTP the way an orchestrator and Prometheus would.
 *
 * <p>Run by failsafe in {@code ./mvnw verify}. The base image comes from {@code -Dit.base.image}
 * (default {@code local/jre17:bookworm}, built by {@code .ci/build-base-image.sh}); when it is
 * missing, {@link BaseImage} decides what happens (in CI: a failure; elsewhere: build it, use
 * {@code eclipse-temurin:17-jre}, or skip with the reason).
 */
@RequiresDocker
@ExtendWith(BaseImageCondition.class)
@Testcontainers
class ContainerImageIT {

  private static final Logger log = LoggerFactory.getLogger(ContainerImageIT.class);
  private static final int PORT = 8080;
  private static final JsonMapper json = JsonMapper.builder().build();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /*
   * withDockerfilePath + withFileFromPath, not withDockerfile(Path): the latter parses the file and
   * pulls the FROM images, which fails without a registry. The context is the Dockerfile and the jar.
   */
  @Container
  static final GenericContainer<?> app =
      new GenericContainer<>(
              new ImageFromDockerfile("cvmsim-it:latest", false)
                  .withFileFromPath("docker/Dockerfile", Path.of("docker/Dockerfile"))
                  .withFileFromPath("target/cvmsim.jar", jar())
                  .withDockerfilePath("docker/Dockerfile")
                  .withBuildArg("BASE_IMAGE", BaseImageCondition.image()))
          .withExposedPorts(PORT)
          .withLogConsumer(new Slf4jLogConsumer(log).withPrefix("cvmsim"))
          .waitingFor(
              Wait.forHttp("/readyz")
                  .forPort(PORT)
                  .forStatusCode(200)
                  .withStartupTimeout(Duration.ofSeconds(120)));

  @Test
  void livenessAndReadinessAreUp() throws Exception {
    for (String path : new String[] {"/livez", "/readyz"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(json.readTree(response.body()).path("status").asString()).as(path).isEqualTo("UP");
    }
  }

  @Test
  void infoShowsBuildAndGitCommit() throws Exception {
    HttpResponse<String> response = get("/actuator/info");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode info = json.readTree(response.body());
    assertThat(info.path("build").path("artifact").asString()).isEqualTo("cvmsim");
    assertThat(info.path("build").path("version").asString())
        .isEqualTo(requiredProperty("it.version"));
    assertThat(info.path("git").path("commit").path("id").asString()).matches("[0-9a-f]{7,40}");
  }

  @Test
  void prometheusScrapeServesJvmMetrics() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  void unexposedActuatorEndpointsAreNotFound() throws Exception {
    for (String path : new String[] {"/actuator/env", "/actuator/beans", "/actuator/heapdump"}) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void runsAsNonRootUser() throws Exception {
    ExecResult id = app.execInContainer("id", "-u");
    assertThat(id.getExitCode()).isZero();
    assertThat(id.getStdout().trim()).isEqualTo("10001");
  }

  @Test
  void imageHasHealthcheckOnLivez() {
    HealthCheck healthcheck =
        app.getDockerClient()
            .inspectImageCmd(app.getDockerImageName())
            .exec()
            .getConfig()
            .getHealthcheck();
    assertThat(healthcheck).isNotNull();
    assertThat(String.join(" ", healthcheck.getTest())).contains("/livez");
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://" + app.getHost() + ":" + app.getMappedPort(PORT) + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Path jar() {
    Path jar = Path.of(requiredProperty("it.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw verify (package comes first)");
    }
    return jar;
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + name + " is not set: run this test through ./mvnw verify");
    }
    return value;
  }
}
