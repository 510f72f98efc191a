package io.cvmsim.api.validation;

import io.cvmsim.core.validation.KernelComparison;
import io.cvmsim.core.validation.Measure;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * cvmsim against a recorded kernel, stage by stage.
 *
 * @param recording the recording's name
 * @param kernel the recorded kernel
 * @param model the cvmsim kernel model compared
 * @param memoryBytes the guest's RAM
 * @param stages boot, start and every phase, each with its measures
 * @param replay what the trace replay did
 */
@Schema(description = "cvmsim compared with a recorded kernel (docs/VALIDATION.md)")
record KernelComparisonResponse(
    @Schema(example = "linux-6.1-1g-workload") String recording,
    @Schema(example = "6.1.0-56-amd64") String kernel,
    @Schema(example = "6.1") String model,
    @Schema(example = "1073741824") long memoryBytes,
    List<Stage> stages,
    @Schema(
            description =
                "Traced allocations made again and failed, frees, frees of memory held from before"
                    + " tracing, unmatched frees",
            example = "{\"allocations\": 1048582, \"failures\": 3376}")
        Map<String, Long> replay) {

  /** One stage: "boot", "start" or a phase. */
  record Stage(@Schema(example = "fragmenter") String name, List<MeasureResponse> measures) {}

  /** One number compared. */
  record MeasureResponse(
      @Schema(example = "free pages") String name,
      @Schema(
              description = "The kernel's value (null for a distance of distributions)",
              example = "40016")
          Double kernel,
      @Schema(
              description = "cvmsim's value (null for a distance of distributions)",
              example = "40173")
          Double cvmsim,
      @Schema(
              description =
                  "Relative error for a count, total variation distance for a distribution",
              example = "0.004")
          double distance) {}

  static KernelComparisonResponse of(KernelComparison.Result r) {
    return new KernelComparisonResponse(
        r.recording(),
        r.kernelRelease(),
        r.model(),
        r.memoryBytes(),
        r.stages().stream()
            .map(
                s ->
                    new Stage(
                        s.name(),
                        s.measures().stream().map(KernelComparisonResponse::measure).toList()))
            .toList(),
        r.replay());
  }

  private static MeasureResponse measure(Measure m) {
    return new MeasureResponse(m.name(), m.kernel(), m.cvmsim(), m.distance());
  }
}
