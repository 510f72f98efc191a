package io.cvmsim.api.experiment;

import io.cvmsim.core.experiment.BootTimeExperiment;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The boot-time table. */
@Schema(description = "Simulated boot times for every cell of the grid, and eager/lazy speed-ups")
record BootTimeResponse(
    @Schema(description = "One row per booted guest") List<Row> rows,
    @Schema(description = "Eager boot time over lazy boot time per platform and size")
        List<Speedup> speedups) {

  /** One booted guest. */
  @Schema(description = "One booted guest")
  record Row(
      @Schema(description = "Platform", example = "TDX") String platform,
      @Schema(description = "Guest size", example = "4GiB") String memory,
      @Schema(description = "Guest size in bytes", example = "4294967296") long memoryBytes,
      @Schema(description = "Accept policy", example = "EAGER") String policy,
      @Schema(description = "Simulated boot-to-userspace time, seconds", example = "2.87")
          double bootSeconds,
      @Schema(description = "Bytes accepted during boot", example = "4294967296")
          long acceptedAtBootBytes,
      @Schema(description = "The Unaccepted line after boot, bytes", example = "0")
          long unacceptedAfterBootBytes,
      @Schema(description = "Phases in order") List<Phase> phases) {}

  /** One phase of one boot. */
  @Schema(description = "One phase of one boot")
  record Phase(
      @Schema(description = "Phase", example = "deferred-init") String name,
      @Schema(description = "Simulated seconds", example = "1.9") double seconds,
      @Schema(description = "Bytes accepted in the phase", example = "3758096384")
          long acceptedBytes) {}

  /** Eager over lazy. */
  @Schema(description = "Eager boot time over lazy boot time")
  record Speedup(
      @Schema(description = "Platform", example = "TDX") String platform,
      @Schema(description = "Guest size", example = "4GiB") String memory,
      @Schema(description = "Eager seconds / lazy seconds", example = "2.5")
          double eagerOverLazy) {}

  /** Returns the answer for the core's result. */
  static BootTimeResponse of(BootTimeExperiment.Result r) {
    return new BootTimeResponse(
        r.rows().stream()
            .map(
                row ->
                    new Row(
                        row.platform(),
                        row.memory(),
                        row.memoryBytes(),
                        row.policy(),
                        row.bootSeconds(),
                        row.acceptedAtBootBytes(),
                        row.unacceptedAfterBootBytes(),
                        row.phases().stream()
                            .map(p -> new Phase(p.name(), p.seconds(), p.acceptedBytes()))
                            .toList()))
            .toList(),
        r.speedups().stream()
            .map(s -> new Speedup(s.platform(), s.memory(), s.eagerOverLazy()))
            .toList());
  }
}
