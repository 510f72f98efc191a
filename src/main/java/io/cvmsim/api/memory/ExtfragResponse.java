package io.cvmsim.api.memory;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.Fragmentation;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** debugfs extfrag/extfrag_index and unusable_index as JSON. */
@Schema(
    description =
        "debugfs extfrag/extfrag_index and extfrag/unusable_index per populated zone and order")
record ExtfragResponse(@Schema(description = "Populated zones in zone order") List<Zone> zones) {

  /** One zone. */
  @Schema(description = "One zone's indices at orders 0..10")
  record Zone(
      @Schema(description = "Zone name", example = "Normal") String zone,
      @Schema(
              description =
                  "Fragmentation index per order: -1.0 where a suitable block exists, else 0..1"
                      + " (towards 1: failure due to fragmentation)",
              example = "[-1.0, -1.0, 0.523, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]")
          double[] extfragIndex,
      @Schema(
              description = "Unusable free space index per order, 0..1",
              example = "[0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]")
          double[] unusableIndex,
      @Schema(
              description = "The fragmentation index in thousandths, as the kernel computes it",
              example = "[-1000, -1000, 523, 0, 0, 0, 0, 0, 0, 0, 0]")
          int[] extfragIndexThousandths,
      @Schema(
              description = "The unusable index in thousandths",
              example = "[0, 10, 20, 50, 100, 200, 300, 400, 500, 600, 700]")
          int[] unusableIndexThousandths) {}

  /** Returns the view of a snapshot. */
  static ExtfragResponse of(MemorySnapshot s) {
    return new ExtfragResponse(
        s.zones().stream()
            .filter(ZoneSnapshot::populated)
            .map(
                z -> {
                  double[] ef = new double[Sizes.NR_ORDERS];
                  double[] un = new double[Sizes.NR_ORDERS];
                  int[] efm = new int[Sizes.NR_ORDERS];
                  int[] unm = new int[Sizes.NR_ORDERS];
                  for (int o = 0; o < Sizes.NR_ORDERS; o++) {
                    efm[o] = Fragmentation.fragmentationIndex(z.nrFree(), o);
                    unm[o] = Fragmentation.unusableIndex(z.nrFree(), o);
                    ef[o] = efm[o] / 1000.0;
                    un[o] = unm[o] / 1000.0;
                  }
                  return new Zone(z.name(), ef, un, efm, unm);
                })
            .toList());
  }
}
