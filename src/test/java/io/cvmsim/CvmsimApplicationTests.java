package io.cvmsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Starts the whole service on a random port and checks its health, info and metrics endpoints. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class CvmsimApplicationTests {

  @LocalServerPort int port;

  @Autowired RestTestClient client;

  @Autowired VmSettings settings;

  @Autowired VmRegistry registry;

  @Test
  void contextStarts_withTheCoreWiredFromApplicationYaml() {
    assertThat(port).isPositive();
    // application.yaml's values, not the core's built-in defaults, reach every guest
    assertThat(settings.maxBitmapBytes()).isEqualTo(16L << 20);
    assertThat(settings.acceptLogCapacity()).isEqualTo(100_000);
    assertThat(settings.acceptCosts().snpPscMaxEntries()).isEqualTo(64);
    assertThat(settings.bootCosts().memmapInitNanosPerPage()).isEqualTo(630);
    assertThat(settings.checkInvariants()).isFalse();
    assertThat(registry.settings()).isSameAs(settings);
  }

  @Test
  void livenessAndReadinessProbes_areUp() {
    for (String path : new String[] {"/livez", "/readyz"}) {
      client
          .get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP");
    }
  }

  @Test
  void info_showsBuildAndGitCommit() {
    client
        .get()
        .uri("/actuator/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.build.artifact")
        .isEqualTo("cvmsim")
        .jsonPath("$.build.version")
        .isNotEmpty()
        .jsonPath("$.git.commit.id")
        .isNotEmpty();
  }

  @Test
  void prometheusScrape_servesJvmMetrics() {
    client
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
  }

  @Test
  void unexposedActuatorEndpoints_areNotFound() {
    for (String path : new String[] {"/actuator/env", "/actuator/beans"}) {
      client.get().uri(path).exchange().expectStatus().isNotFound();
    }
  }
}
