package io.cvmsim.api.memory;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** /proc/meminfo as JSON. */
@Schema(
    description =
        "/proc/meminfo: the fields in kB as the kernel prints them, and the main ones in bytes")
record MeminfoResponse(
    @Schema(
            description = "Every /proc/meminfo line in print order, in kB (HugePages_* are counts)",
            example = "{\"MemTotal\": 65536000, \"MemFree\": 64000000, \"Unaccepted\": 62000000}")
        Map<String, Long> fields,
    @Schema(description = "MemTotal in bytes", example = "67108864000") long totalBytes,
    @Schema(
            description = "MemFree in bytes (parked unaccepted memory included)",
            example = "65536000000")
        long freeBytes,
    @Schema(description = "MemAvailable in bytes", example = "65000000000") long availableBytes,
    @Schema(description = "Unaccepted in bytes", example = "63488000000") long unacceptedBytes) {

  /** Returns the view of a snapshot. */
  static MeminfoResponse of(MemorySnapshot s) {
    return new MeminfoResponse(
        ProcFormat.meminfoFields(s),
        s.totalPages() << Sizes.PAGE_SHIFT,
        s.freePages() << Sizes.PAGE_SHIFT,
        s.availablePages() << Sizes.PAGE_SHIFT,
        s.unacceptedPages() << Sizes.PAGE_SHIFT);
  }
}
