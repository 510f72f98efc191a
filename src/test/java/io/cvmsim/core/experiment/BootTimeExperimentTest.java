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
    return run(platforms, sizes, vcpus, null);
  }

  static BootTimeExperiment.Result run(
      List<Platform> platforms, List<Long> sizes, int vcpus, String kernel) {
    return BootTimeExperiment.run(
        new BootTimeExperiment.Request(
            platforms,
            sizes,
            List.of(AcceptPolicy.EAGER, AcceptPolicy.LAZY),
            vcpus,
            kernel,
            null,
            null),
        VmSettings.DEFAULTS,
        Sizes.PIB,
        null);
  }

  /**
   * The claim with deferred init accepting on all vCPUs, as mainline does since 50e782a86c98 (the
   * cost model's acceptance figures, 60 s on one vCPU and 40 s on four, were measured so).
   */
  @Test
  void tdx_lazyBootsAbout2point5TimesFasterAt4GiB_andAbout4TimesAt64GiB() {
    var r =
        run(
            List.of(Platform.TDX, Platform.SNP),
            List.of(4 * Sizes.GIB, 64 * Sizes.GIB),
            4,
            "mainline");
    assertThat(speedup(r, "TDX", "4GiB")).isBetween(2.5 * 0.85, 2.5 * 1.15);
    assertThat(speedup(r, "TDX", "64GiB")).isBetween(4.0 * 0.85, 4.0 * 1.15);
    assertThat(speedup(r, "SNP", "64GiB")).isGreaterThan(1.0);
    assertThat(BootTimeExperiment.csv(r))
        .startsWith("platform,memory,memoryBytes,policy,bootSeconds");
  }

  /**
   * 6.5.0's accept_memory() holds unaccepted_memory_lock while it accepts
   * (drivers/firmware/efi/unaccepted_memory.c at v6.5), so an eager guest's deferred init accepts
   * on one vCPU at a time: the eager boot is longer than mainline's by the parallel share of its
   * acceptance, the lazy boot (which accepts little in deferred init) is not, and the speed-up at
   * 64 GiB (4.7x) lies above the published ~4x, a distance docs/MODEL.md publishes.
   */
  @Test
  void tdx_in65_eagerAcceptanceIsSerial_soEagerBootsLonger() {
    List<Long> sizes = List.of(4 * Sizes.GIB, 64 * Sizes.GIB);
    var v65 = run(List.of(Platform.TDX), sizes, 4, "6.5");
    var mainline = run(List.of(Platform.TDX), sizes, 4, "mainline");
    assertThat(speedup(v65, "TDX", "64GiB"))
        .isGreaterThan(speedup(mainline, "TDX", "64GiB") * 1.1)
        .isBetween(4.5, 5.0);
    assertThat(speedup(v65, "TDX", "4GiB")).isBetween(2.5 * 0.85, 2.5 * 1.15);
  }

  static double speedup(BootTimeExperiment.Result r, String platform, String memory) {
    return r.speedups().stream()
        .filter(s -> s.platform().equals(platform) && s.memory().equals(memory))
        .findFirst()
        .orElseThrow()
        .eagerOverLazy();
  }
}
