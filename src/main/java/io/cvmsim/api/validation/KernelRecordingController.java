package io.cvmsim.api.validation;

import io.cvmsim.api.web.PageResponse;
import io.cvmsim.corpus.BundledRecordings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The real-kernel recordings bundled with the service. */
@RestController
@RequestMapping(path = "/api/v1/kernel-recordings", produces = "application/json")
@Tag(name = "Kernel recordings", description = "Real Linux guests recorded in QEMU")
class KernelRecordingController {

  private final BundledRecordings recordings;

  KernelRecordingController(BundledRecordings recordings) {
    this.recordings = recordings;
  }

  @GetMapping
  @Operation(
      summary = "List the bundled recordings",
      description =
          "Every recording of a real kernel the service carries: kernel, guest size, workload"
              + " phases and trace event counts. Compare one with POST"
              + " /api/v1/experiments/kernel-comparison.")
  PageResponse<KernelRecordingResponse> list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
    return PageResponse.of(recordings.all(), page, size, KernelRecordingResponse::of);
  }

  @GetMapping("/{name}")
  @Operation(
      summary = "One bundled recording",
      description =
          "The recording's kernel, guest size, vCPUs, workload phases and trace event counts;"
              + " 404 when no bundled recording has this name.")
  KernelRecordingResponse get(@PathVariable String name) {
    return KernelRecordingResponse.of(recordings.get(name));
  }
}
