package io.cvmsim.api.memory;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /vms/{id}/frees}. */
@Schema(description = "Allocations to free, by head pfn")
record FreeRequest(
    @Schema(
            description =
                "Head pfns of live allocations, at most cvmsim.limits.max-batch; one that is not"
                    + " (or appears twice) is a 422 and nothing is freed",
            example = "[1048576, 1048577]",
            requiredMode = Schema.RequiredMode.REQUIRED)
        long[] pfns) {}
