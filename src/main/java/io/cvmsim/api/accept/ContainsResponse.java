package io.cvmsim.api.accept;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of range_contains_unaccepted_memory(start, end). */
@Schema(description = "range_contains_unaccepted_memory(start, end)")
record ContainsResponse(
    @Schema(description = "First byte", example = "4294967296") long start,
    @Schema(description = "Byte after the last", example = "5368709120") long end,
    @Schema(description = "Whether the range holds unaccepted memory", example = "true")
        boolean containsUnaccepted) {}
