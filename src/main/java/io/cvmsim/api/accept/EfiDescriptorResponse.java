package io.cvmsim.api.accept;

import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.swagger.v3.oas.annotations.media.Schema;

/** One descriptor of the memory map the firmware handed over. */
@Schema(description = "One UEFI memory descriptor")
record EfiDescriptorResponse(
    @Schema(description = "The memory type", example = "CONVENTIONAL") EfiMemoryType type,
    @Schema(description = "Physical address of the first byte", example = "1048576") long physStart,
    @Schema(description = "Number of 4 KiB pages", example = "1048320") long pages) {

  /** Returns the answer for a core descriptor. */
  static EfiDescriptorResponse of(EfiMemoryDescriptor d) {
    return new EfiDescriptorResponse(d.type(), d.physStart(), d.pages());
  }
}
