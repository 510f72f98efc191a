package io.cvmsim.api.accept;

import io.cvmsim.core.accept.AcceptedRange;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What an explicit {@code accept_memory(start, end)} did. */
@Schema(description = "What accept_memory(start, end) did")
record AcceptResponse(
    @Schema(description = "One element per arch_accept_memory() call, in order")
        List<Range> accepted,
    @Schema(
            description = "Bytes the bitmap still marks unaccepted afterwards",
            example = "64000000000")
        long unacceptedBytes) {

  /** One arch_accept_memory() call. */
  @Schema(description = "One arch_accept_memory() call")
  record Range(
      @Schema(description = "First byte accepted", example = "4294967296") long start,
      @Schema(description = "Byte after the last accepted", example = "4299161600") long end,
      @Schema(description = "Successful accept instructions by page size") Operations operations,
      @Schema(
              description = "Larger accepts the host refused (page-size mismatch), 2M and 1G",
              example = "0")
          long failedOperations,
      @Schema(description = "TDCALLs (TDX) or page-state-change VMGEXITs (SNP)", example = "2")
          long hypervisorExits,
      @Schema(description = "Simulated time on one vCPU, in ns", example = "313000")
          long simulatedNanos) {}

  /** Returns the answer for the core's. */
  static AcceptResponse of(VmViews.Accepted a) {
    return new AcceptResponse(
        a.accepted().stream()
            .map(
                (AcceptedRange r) ->
                    new Range(
                        r.start(),
                        r.end(),
                        Operations.of(r.operations()),
                        r.operations().failed2m() + r.operations().failed1g(),
                        r.operations().hypervisorExits(),
                        r.operations().simulatedNanos()))
            .toList(),
        a.unacceptedBytes());
  }
}
