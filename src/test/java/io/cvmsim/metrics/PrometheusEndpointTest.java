package io.cvmsim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.metrics.PrometheusText.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The whole service on a random port: a live VM's series are served over HTTP, a deleted one's not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(MetricsTestBeans.class)
class PrometheusEndpointTest {

  @Autowired RestTestClient client;

  @Autowired VmRegistry vms;

  private final List<GuestVm> created = new ArrayList<>();

  @AfterEach
  void deleteVms() {
    for (GuestVm vm : created) {
      if (!vm.isDeleted()) {
        vms.delete(vm.id());
      }
    }
  }

  private GuestVm create(String name) {
    GuestVm vm =
        vms.create(VmMeterBinderTest.spec(name, Platform.TDX, 2 * Sizes.GIB, BootStage.KERNEL));
    created.add(vm);
    return vm;
  }

  @Test
  void scrape_servesEveryContractNameForALiveVm() {
    create("http-live");

    List<Sample> samples = PrometheusText.parse(scrape());

    Set<String> liveNames =
        samples.stream()
            .filter(s -> "http-live".equals(s.labels().get("vm")))
            .map(Sample::name)
            .collect(Collectors.toSet());
    assertThat(liveNames).containsExactlyInAnyOrderElementsOf(MetricsContract.PER_VM.keySet());
    assertThat(samples)
        .filteredOn(s -> s.name().equals(MetricsContract.VMS))
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(vms.size()));
  }

  @Test
  void scrape_afterDelete_servesNoSeriesOfTheDeletedVm() {
    GuestVm gone = create("http-gone");
    create("http-stays");
    assertThat(scrape()).contains("vm=\"http-gone\"");

    vms.delete(gone.id());

    String scrape = scrape();
    assertThat(scrape).doesNotContain("vm=\"http-gone\"").contains("vm=\"http-stays\"");
  }

  private String scrape() {
    return client
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
