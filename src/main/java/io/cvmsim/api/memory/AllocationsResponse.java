package io.cvmsim.api.memory;

import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** What an allocation request got. */
@Schema(description = "What an allocation request got; what it could not get is counted in failed")
record AllocationsResponse(
    @Schema(description = "The blocks handed out, in order") List<Allocation> allocations,
    @Schema(description = "Requested blocks that could not be allocated", example = "0")
        int failed) {

  /** One block. */
  @Schema(description = "One block handed out")
  record Allocation(
      @Schema(description = "The head page frame number (4 KiB page index)", example = "1048576")
          long pfn,
      @Schema(description = "The order", example = "0") int order,
      @Schema(description = "The zone: DMA, DMA32 or Normal", example = "Normal") String zone,
      @Schema(description = "The migrate type as /proc prints it", example = "Unmovable")
          String migratetype) {}

  /** Returns the answer for the core's. */
  static AllocationsResponse of(VmViews.Allocations a) {
    List<Allocation> out = new ArrayList<>(a.allocations().size());
    for (VmViews.Allocation x : a.allocations()) {
      out.add(new Allocation(x.pfn(), x.order(), x.zone(), x.migratetype()));
    }
    return new AllocationsResponse(out, a.failed());
  }
}
