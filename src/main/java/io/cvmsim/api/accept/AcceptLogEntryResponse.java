package io.cvmsim.api.accept;

import io.cvmsim.core.accept.AcceptLog;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.swagger.v3.oas.annotations.media.Schema;

/** One arch_accept_memory() call of the accept log. */
@Schema(description = "One arch_accept_memory() call since boot")
record AcceptLogEntryResponse(
    @Schema(description = "Sequence number, from 1", example = "42") long seq,
    @Schema(description = "Who accepted: FIRMWARE, STUB or KERNEL", example = "KERNEL")
        AcceptPhase phase,
    @Schema(
            description =
                "Why: FIRMWARE, STUB, MEMBLOCK, ALLOCATOR (on demand), EAGER or EXPLICIT (the API)",
            example = "ALLOCATOR")
        AcceptTrigger trigger,
    @Schema(description = "First byte", example = "4294967296") long start,
    @Schema(description = "Byte after the last", example = "4299161600") long end,
    @Schema(description = "Successful accept instructions by page size") Operations operations,
    @Schema(description = "Simulated time on one vCPU, in ns", example = "313000")
        long simulatedNanos) {

  /** Returns the answer for a core entry. */
  static AcceptLogEntryResponse of(AcceptLog.Entry e) {
    return new AcceptLogEntryResponse(
        e.seq(),
        e.phase(),
        e.trigger(),
        e.start(),
        e.end(),
        new Operations(e.ops1g(), e.ops2m(), e.ops4k()),
        e.simulatedNanos());
  }
}
