package io.cvmsim.api.memory;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /vms/{id}/frees}: pfns or a batch. */
@Schema(description = "Allocations to free: by head pfn, or a whole batch (one of the two)")
record FreeRequest(
    @Schema(
            description =
                "Head pfns of live allocations, at most cvmsim.limits.max-batch; one that is not"
                    + " (or appears twice) is a 422 and nothing is freed",
            example = "[1048576, 1048577]")
        long[] pfns,
    @Schema(
            description =
                "A batch an allocation answer named: frees every block of it still allocated;"
                    + " 404 if the VM does not remember it",
            example = "17")
        String batch) {}
