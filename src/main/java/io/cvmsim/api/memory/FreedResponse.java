package io.cvmsim.api.memory;

import io.swagger.v3.oas.annotations.media.Schema;

/** What a free request freed. */
@Schema(description = "What a free request freed")
record FreedResponse(@Schema(description = "Allocations freed", example = "2") int freed) {}
