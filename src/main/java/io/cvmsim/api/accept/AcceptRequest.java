package io.cvmsim.api.accept;

import io.cvmsim.api.web.AddressValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /vms/{id}/accept}. */
@Schema(description = "A physical range [start, end) to accept")
record AcceptRequest(
    @Schema(
            description = "First byte: an integer or a hex string, below end, within 52 bits",
            example = "0x100000000",
            requiredMode = Schema.RequiredMode.REQUIRED)
        AddressValue start,
    @Schema(
            description = "Byte after the last: an integer or a hex string, at most 2^52",
            example = "0x100400000",
            requiredMode = Schema.RequiredMode.REQUIRED)
        AddressValue end) {}
