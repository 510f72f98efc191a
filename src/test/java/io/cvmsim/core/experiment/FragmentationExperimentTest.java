package io.cvmsim.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.workload.Ctx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The v9 study, small: lazy acceptance must not make fragmentation notably worse. */
class FragmentationExperimentTest {

  @Test
  void lazyIsNotNotablyWorseThanEager() {
    for (String k : List.of("6.5", "mainline")) {
      var req =
          new FragmentationExperiment.Request(
              Map.of("type", "kernel-build", "events", 1_000_000L, "parallelism", 32L),
              2 * Sizes.GIB,
              List.of(1L, 2L, 3L),
              Platform.TDX,
              k,
              4);
      var r = FragmentationExperiment.run(req, VmSettings.DEFAULTS, Sizes.TIB, new Ctx());
      assertThat(r.meanEagerEvents()).isPositive();
      assertThat(r.meanLazyOverEager()).isBetween(0.5, 2.0);
      assertThat(r.lazyNotNotablyWorse()).isTrue();
    }
  }
}
