package io.cvmsim.api.validation;

import io.cvmsim.api.jobs.JobResponse;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.validation.ComparisonReport;
import io.cvmsim.core.validation.KernelComparison;
import io.cvmsim.core.validation.KernelRecording;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.corpus.BundledRecordings;
import io.cvmsim.corpus.RecordingReader;
import io.cvmsim.corpus.RecordingZip;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Compares cvmsim with a recorded kernel: a bundled recording by name, or an uploaded one (a zip of
 * the recorder's directory). The comparison runs as a job; the request waits for it up to {@code
 * cvmsim.jobs.sync-wait} and answers with the result, or with 202 and the job's location.
 */
@RestController
@RequestMapping(path = "/api/v1/experiments/kernel-comparison")
@Tag(name = "Experiments", description = "Boot-time and fragmentation studies")
class KernelComparisonController {

  private final JobManager jobs;
  private final VmSettings settings;
  private final BundledRecordings recordings;
  private final Duration wait;
  private final long maxRequestBytes;

  KernelComparisonController(
      JobManager jobs,
      VmSettings settings,
      BundledRecordings recordings,
      CvmsimProperties properties) {
    this.jobs = jobs;
    this.settings = settings;
    this.recordings = recordings;
    this.wait = properties.jobs().syncWait();
    this.maxRequestBytes = properties.limits().maxRequestBytes().bytes();
  }

  /** Which bundled recording to compare with. */
  record ComparisonRequest(
      @Schema(
              description = "A bundled recording (GET /api/v1/kernel-recordings)",
              example = "linux-6.1-1g-workload",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String recording) {}

  @PostMapping(consumes = "application/json", produces = "application/json")
  @Operation(
      summary = "Compare cvmsim with a recorded kernel",
      description =
          "Builds the recorded guest in cvmsim, boots it, holds what the kernel held before its"
              + " trace began, replays the trace phase by phase and compares every stage with the"
              + " kernel's own files: managed pages, watermarks, protection and per-cpu high/batch"
              + " at boot; free pages, their distribution over orders and migrate types,"
              + " pageblocks per type, extfrag events, per-cpu pages and kswapd wake-ups after"
              + " each phase. Counts compare by relative error, distributions by total variation"
              + " distance. Accept: text/csv gives every measure as CSV. A comparison that takes"
              + " longer than cvmsim.jobs.sync-wait answers 202 with the job (as JSON, also when"
              + " CSV was asked for); Prefer: respond-async answers 202 at once. A 200 names its"
              + " job in Content-Location, where GET /api/v1/jobs/{id} gives it again as JSON or"
              + " CSV.")
  @ApiResponse(
      responseCode = "200",
      description = "The comparison",
      headers =
          @Header(
              name = "Content-Location",
              description = "/api/v1/jobs/{jobId}: the job that made it"),
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = KernelComparisonResponse.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "202",
      description = "Still running: poll the job",
      headers = {
        @Header(name = "Location", description = "/api/v1/jobs/{jobId}"),
        @Header(
            name = "Preference-Applied",
            description = "respond-async when the request preferred it")
      },
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = JobResponse.class)))
  ResponseEntity<?> bundled(
      @RequestBody ComparisonRequest request, @RequestHeader HttpHeaders headers) {
    return compare(bundledRecording(request), KernelComparisonResponse::of, headers);
  }

  @PostMapping(consumes = "application/json", produces = "text/csv")
  ResponseEntity<?> bundledCsv(
      @RequestBody ComparisonRequest request, @RequestHeader HttpHeaders headers) {
    return compare(bundledRecording(request), ComparisonReport::csv, headers);
  }

  @PostMapping(consumes = "application/zip", produces = "application/json")
  @Operation(
      summary = "Compare cvmsim with an uploaded recording",
      description =
          "As for a bundled recording, with a recording the recorder made elsewhere: the body is"
              + " a zip of its directory (recording.json, boot/, phases/, events.xz;"
              + " tools/kernel-corpus/FORMAT.md). The files may expand to at most"
              + " cvmsim.limits.max-request-bytes.")
  ResponseEntity<?> uploaded(@RequestBody byte[] zip, @RequestHeader HttpHeaders headers) {
    return compare(uploadedRecording(zip), KernelComparisonResponse::of, headers);
  }

  @PostMapping(consumes = "application/zip", produces = "text/csv")
  ResponseEntity<?> uploadedCsv(@RequestBody byte[] zip, @RequestHeader HttpHeaders headers) {
    return compare(uploadedRecording(zip), ComparisonReport::csv, headers);
  }

  private KernelRecording bundledRecording(ComparisonRequest request) {
    if (request.recording() == null || request.recording().isBlank()) {
      throw SimulatorException.badRequest("recording", "recording is required");
    }
    return recordings.get(request.recording());
  }

  private KernelRecording uploadedRecording(byte[] zip) {
    RecordingZip files = new RecordingZip(zip, maxRequestBytes);
    try {
      return RecordingReader.read(files);
    } catch (IllegalArgumentException e) {
      throw SimulatorException.unprocessable("recording", e.getMessage());
    }
  }

  /**
   * Runs the comparison as a job and waits up to the sync-wait for it (not at all when the client
   * prefers {@code respond-async}, RFC 7240). A 200 names its job in Content-Location; a 202 is the
   * job as JSON whatever the request accepts, since a running job has no CSV yet.
   */
  private <T> ResponseEntity<?> compare(
      KernelRecording recording, Function<KernelComparison.Result, T> body, HttpHeaders headers) {
    boolean async = prefersAsync(headers);
    JobView job =
        jobs.submit(
            null,
            "experiment:kernel-comparison",
            Map.of("recording", recording.name()),
            ctx -> KernelComparison.run(recording, settings, ctx));
    URI location = URI.create("/api/v1/jobs/" + job.id());
    if (async) {
      // 202 whatever state the job has reached meanwhile (a short comparison may already be done):
      // the client asked for the job, and its Location gives the result.
      return ResponseEntity.accepted()
          .location(location)
          .contentType(MediaType.APPLICATION_JSON)
          .header("Preference-Applied", "respond-async")
          .body(JobResponse.of(jobs.get(job.id())));
    }
    JobView done = jobs.await(job.id(), wait);
    if (done.state() == JobState.SUCCEEDED) {
      return ResponseEntity.ok()
          .header(HttpHeaders.CONTENT_LOCATION, location.toString())
          .body(body.apply((KernelComparison.Result) done.result()));
    }
    if (done.state() == JobState.FAILED) {
      throw SimulatorException.unprocessable(
          "recording", "the comparison of " + recording.name() + " failed: " + done.error());
    }
    return ResponseEntity.accepted()
        .location(location)
        .contentType(MediaType.APPLICATION_JSON)
        .body(JobResponse.of(done));
  }

  /** Whether a Prefer header asks for respond-async (RFC 7240 §4.1). */
  static boolean prefersAsync(HttpHeaders headers) {
    for (String value : headers.getOrEmpty("Prefer")) {
      for (String preference : value.split(",")) {
        String token = preference.split(";", 2)[0].trim();
        if (token.equalsIgnoreCase("respond-async")) {
          return true;
        }
      }
    }
    return false;
  }
}
