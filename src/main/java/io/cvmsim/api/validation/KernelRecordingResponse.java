package io.cvmsim.api.validation;

import io.cvmsim.core.validation.KernelRecording;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * A bundled recording of a real kernel.
 *
 * @param name the recording's name
 * @param kernel the recorded kernel (uname -r)
 * @param kernelVersion the Debian package version it came from
 * @param model the cvmsim kernel model it is compared with
 * @param memoryBytes the guest's RAM
 * @param vcpus the guest's vCPUs
 * @param phases the workload's phases with their parameters (empty for a boot recording)
 * @param events trace events per event name
 */
@Schema(description = "A recording of a real Linux guest (tools/kernel-corpus/FORMAT.md)")
record KernelRecordingResponse(
    @Schema(example = "linux-6.1-1g-workload") String name,
    @Schema(description = "uname -r of the recorded guest", example = "6.1.0-56-amd64")
        String kernel,
    @Schema(description = "Debian package version", example = "6.1.192-2") String kernelVersion,
    @Schema(description = "The cvmsim kernel model compared with it", example = "6.1") String model,
    @Schema(description = "Guest RAM, bytes", example = "1073741824") long memoryBytes,
    @Schema(example = "2") int vcpus,
    @Schema(description = "Workload phases in order, with their parameters") List<Phase> phases,
    @Schema(description = "Trace events per event name", example = "{\"mm_page_alloc\": 1051960}")
        Map<String, Long> events) {

  /** One phase: its name and what it did. */
  record Phase(
      @Schema(example = "fragmenter") String name,
      @Schema(
              description = "Sizes in bytes, counts, seeds, as the recorder wrote them",
              example = "{\"targetBytes\": 703487540, \"seed\": 13}")
          Map<String, Object> params) {}

  static KernelRecordingResponse of(KernelRecording r) {
    return new KernelRecordingResponse(
        r.name(),
        r.kernelRelease(),
        r.kernelVersion(),
        r.model(),
        r.memoryBytes(),
        r.vcpus(),
        r.phases().stream().map(p -> new Phase(p.name(), p.params())).toList(),
        r.eventCounts());
  }
}
