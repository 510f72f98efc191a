package io.cvmsim.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
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
    for (KernelModel k : KernelModel.values()) {
      var req =
          new FragmentationExperiment.Request(
              Map.of("type", "kernel-build", "events", 1_000_000L, "parallelism", 32L),
              2 * Sizes.GIB,
              List.of(1L, 2L, 3L),
              Platform.TDX,
              k,
              4);
      var r = FragmentationExperiment.run(req, VmSettings.DEFAULTS, Sizes.TIB, new Ctx());
      System.out.printf(
          "%s lazy=%.1f eager=%.1f ratio=%.3f fm lazy=%.1f eager=%.1f%n",
          k,
          r.meanLazyEvents(),
          r.meanEagerEvents(),
          r.meanLazyOverEager(),
          r.meanLazyFragmentingMovable(),
          r.meanEagerFragmentingMovable());
      for (var run : r.runs()) {
        System.out.println(
            "  "
                + run.seed()
                + " "
                + run.lazy().eventsByType()
                + " | "
                + run.eager().eventsByType());
      }
      assertThat(r.meanEagerEvents()).isPositive();
      assertThat(r.meanLazyOverEager()).isBetween(0.5, 2.0);
      assertThat(r.lazyNotNotablyWorse()).isTrue();
    }
  }
}
