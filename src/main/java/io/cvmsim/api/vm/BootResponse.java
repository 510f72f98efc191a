package io.cvmsim.api.vm;

import io.cvmsim.core.boot.BootPhase;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The simulated boot timeline of a VM. */
@Schema(description = "The simulated boot timeline")
record BootResponse(
    @Schema(description = "How far the VM has booted", example = "KERNEL") BootStage stage,
    @Schema(description = "The phases in order") List<Phase> phases,
    @Schema(description = "The sum of the phases, in simulated seconds", example = "1.23")
        double totalSeconds,
    @Schema(description = "The sum of the phases, in simulated ns", example = "1230000000")
        long totalNanos,
    @Schema(
            description =
                "Boot-to-userspace time in simulated seconds (when the userspace phase starts),"
                    + " or null before the kernel runs",
            example = "1.21")
        Double bootToUserspaceSeconds) {

  /** One phase. */
  @Schema(description = "One boot phase")
  record Phase(
      @Schema(description = "The phase", example = "deferred-init") String name,
      @Schema(description = "Simulated duration in seconds", example = "0.25") double seconds,
      @Schema(description = "Simulated duration in ns", example = "250000000") long simulatedNanos,
      @Schema(description = "Memory accepted during the phase, in bytes", example = "536870912")
          long acceptedBytes,
      @Schema(
              description = "The part spent accepting, in simulated ns on one vCPU",
              example = "200000000")
          long acceptNanos) {}

  /** Returns the answer for a stage and a core timeline. */
  static BootResponse of(BootStage stage, VmViews.Boot boot) {
    List<Phase> phases =
        boot.phases().stream()
            .map(
                (BootPhase p) ->
                    new Phase(
                        p.name(),
                        p.simulatedNanos() / 1e9,
                        p.simulatedNanos(),
                        p.acceptedBytes(),
                        p.acceptNanos()))
            .toList();
    return new BootResponse(
        stage,
        phases,
        boot.totalNanos() / 1e9,
        boot.totalNanos(),
        boot.userspaceAtNanos() < 0 ? null : boot.userspaceAtNanos() / 1e9);
  }
}
