package io.cvmsim.api.memory;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /vms/{id}/allocations}. */
@Schema(description = "count blocks of 2^order pages with one GFP mask")
record AllocateRequest(
    @Schema(
            description = "Buddy order, 0..10 (2^order 4 KiB pages)",
            defaultValue = "0",
            example = "0")
        Integer order,
    @Schema(
            description = "Number of blocks, 1..cvmsim.limits.max-batch (default 100000)",
            defaultValue = "1",
            example = "1")
        Integer count,
    @Schema(
            description =
                "GFP mask: GFP_KERNEL, GFP_USER, GFP_HIGHUSER_MOVABLE, GFP_DMA, GFP_DMA32,"
                    + " GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL_RECLAIMABLE (__GFP_RECLAIMABLE), ...;"
                    + " case-insensitive, GFP_ may be omitted",
            defaultValue = "GFP_KERNEL",
            example = "GFP_KERNEL")
        String gfp,
    @Schema(
            description =
                "The answer's shape: blocks (one object per block), pfns (head pfns, the order"
                    + " once) or summary (counts per zone); case-insensitive",
            allowableValues = {"blocks", "pfns", "summary"},
            defaultValue = "blocks",
            example = "blocks")
        String result) {}
