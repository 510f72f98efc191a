package io.cvmsim.api.memory;

import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** /proc/vmstat as JSON. */
@Schema(description = "/proc/vmstat")
record VmstatResponse(
    @Schema(
            description = "Every /proc/vmstat item in print order (pages or event counts)",
            example = "{\"nr_free_pages\": 16000000, \"nr_unaccepted\": 15500000, \"pgfree\": 120}")
        Map<String, Long> fields) {

  /** Returns the view of a snapshot. */
  static VmstatResponse of(MemorySnapshot s) {
    return new VmstatResponse(ProcFormat.vmstatFields(s));
  }
}
