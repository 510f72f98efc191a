package io.cvmsim.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published boot-time claims, with the default cost model (figures.md §2.1). */
class BootTimeExperimentTest {

  static BootTimeExperiment.Result run(List<Platform> platforms, List<Long> sizes, int vcpus) {
    return BootTimeExperiment.run(
        new BootTimeExperiment.Request(
            platforms,
            sizes,
            List.of(AcceptPolicy.EAGER, AcceptPolicy.LAZY),
            vcpus,
            null,
            null,
            null),
        VmSettings.DEFAULTS,
        Sizes.PIB,
        null);
  }

  @Test
  void tdx_lazyBootsAbout2point5TimesFasterAt4GiB_andAbout4TimesAt64GiB() {
    var r = run(List.of(Platform.TDX, Platform.SNP), List.of(4 * Sizes.GIB, 64 * Sizes.GIB), 4);
    assertThat(speedup(r, "TDX", "4GiB")).isBetween(2.5 * 0.85, 2.5 * 1.15);
    assertThat(speedup(r, "TDX", "64GiB")).isBetween(4.0 * 0.85, 4.0 * 1.15);
    assertThat(speedup(r, "SNP", "64GiB")).isGreaterThan(1.0);
    assertThat(BootTimeExperiment.csv(r))
        .startsWith("platform,memory,memoryBytes,policy,bootSeconds");
  }

  static double speedup(BootTimeExperiment.Result r, String platform, String memory) {
    return r.speedups().stream()
        .filter(s -> s.platform().equals(platform) && s.memory().equals(memory))
        .findFirst()
        .orElseThrow()
        .eagerOverLazy();
  }
}
