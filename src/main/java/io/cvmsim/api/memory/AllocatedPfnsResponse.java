package io.cvmsim.api.memory;

import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;

/** What an allocation request got, as head pfns ({@code "result": "pfns"}). */
@Schema(
    description =
        "What an allocation request got, as head pfns (\"result\": \"pfns\"): every block has the"
            + " order and the GFP mask's migrate type; what it could not get is counted in"
            + " failed")
record AllocatedPfnsResponse(
    @Schema(
            description = "The head pfns handed out, in order (4 KiB page indexes)",
            example = "[1048576, 1048577, 1048578]")
        long[] pfns,
    @Schema(description = "The order of every block", example = "0") int order,
    @Schema(description = "Requested blocks that could not be allocated", example = "0") int failed,
    @Schema(
            description = "The batch: POST /frees {\"batch\": ...} frees what is left of it",
            example = "17")
        String batch)
    implements AllocationAnswer {

  /** Returns the answer for the core's batch. */
  static AllocatedPfnsResponse of(VmViews.Batch b) {
    return new AllocatedPfnsResponse(b.pfns(), b.order(), b.failed(), Long.toString(b.id()));
  }
}
