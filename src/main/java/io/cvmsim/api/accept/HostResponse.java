package io.cvmsim.api.accept;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hypervisor's side of a VM. */
@Schema(description = "The hypervisor's side: what it backs and what accepting cost")
record HostResponse(
    @Schema(description = "Private memory the host had to back, in bytes", example = "3221225472")
        long backedBytes,
    @Schema(description = "Successful accept instructions by page size")
        Operations acceptOperations,
    @Schema(description = "Simulated time spent accepting, in ns", example = "1500000000")
        long simulatedAcceptNanos,
    @Schema(description = "2 MiB accepts refused for a page-size mismatch", example = "0")
        long failedOperations2m,
    @Schema(description = "1 GiB accepts refused for a page-size mismatch", example = "0")
        long failedOperations1g,
    @Schema(description = "TDCALLs (TDX) or page-state-change VMGEXITs (SNP)", example = "1600")
        long hypervisorExits,
    @Schema(description = "arch_accept_memory() calls", example = "120") long calls,
    @Schema(
            description =
                "Accepted bytes by trigger (FIRMWARE, STUB, MEMBLOCK, ALLOCATOR, EAGER,"
                    + " EXPLICIT)",
            example = "{\"FIRMWARE\": 536870912, \"ALLOCATOR\": 4194304}")
        Map<String, Long> acceptedBytesByTrigger) {

  /** Returns the answer for the core's view. */
  static HostResponse of(VmViews.Host h) {
    Map<String, Long> byTrigger = new LinkedHashMap<>();
    for (AcceptTrigger t : AcceptTrigger.values()) {
      byTrigger.put(t.name(), h.acceptedBytesByTrigger()[t.ordinal()]);
    }
    return new HostResponse(
        h.backedBytes(),
        new Operations(h.operations1g(), h.operations2m(), h.operations4k()),
        h.simulatedAcceptNanos(),
        h.failedOperations2m(),
        h.failedOperations1g(),
        h.hypervisorExits(),
        h.calls(),
        byTrigger);
  }
}
