package io.cvmsim.api.memory;

import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an allocation request got, counted ({@code "result": "summary"}). */
@Schema(
    description =
        "What an allocation request got, counted (\"result\": \"summary\"); free it by its"
            + " batch")
record AllocationSummaryResponse(
    @Schema(description = "Blocks allocated", example = "1000") int allocated,
    @Schema(description = "Requested blocks that could not be allocated", example = "0") int failed,
    @Schema(
            description = "The batch: POST /frees {\"batch\": ...} frees what is left of it",
            example = "17")
        String batch,
    @Schema(
            description =
                "Blocks allocated per zone (DMA, DMA32, Normal), only zones that gave any",
            example = "{\"Normal\": 1000}")
        Map<String, Integer> zones)
    implements AllocationAnswer {

  /** Returns the answer for the core's batch. */
  static AllocationSummaryResponse of(VmViews.Batch b) {
    int[] perZone = new int[ZoneType.POPULATABLE];
    for (long pfn : b.pfns()) {
      perZone[ZoneType.ofPfn(pfn).ordinal()]++;
    }
    Map<String, Integer> zones = new LinkedHashMap<>();
    for (int z = 0; z < perZone.length; z++) {
      if (perZone[z] > 0) {
        zones.put(ZoneType.values()[z].procName(), perZone[z]);
      }
    }
    return new AllocationSummaryResponse(b.pfns().length, b.failed(), Long.toString(b.id()), zones);
  }
}
