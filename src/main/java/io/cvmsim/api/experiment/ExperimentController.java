package io.cvmsim.api.experiment;

import io.cvmsim.api.jobs.JobResponse;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.experiment.BootTimeExperiment;
import io.cvmsim.core.experiment.FragmentationExperiment;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.vm.VmSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Experiments that reproduce the published claims: boot time over platforms, sizes and policies
 * (synchronous for small grids, else a job), and fragmentation, lazy against eager (a job).
 */
@RestController
@RequestMapping(path = "/api/v1/experiments", consumes = "application/json")
@Tag(name = "Experiments", description = "Boot-time and fragmentation studies")
class ExperimentController {

  private final JobManager jobs;
  private final VmSettings settings;
  private final long maxMemoryPerVm;

  ExperimentController(JobManager jobs, VmSettings settings, CvmsimProperties properties) {
    this.jobs = jobs;
    this.settings = settings;
    this.maxMemoryPerVm = properties.limits().maxMemoryPerVm().bytes();
  }

  @PostMapping(path = "/boot-time", produces = "application/json")
  @Operation(
      summary = "Boot-time experiment",
      description =
          "Boots a guest for every platform x memory size x policy and reports simulated boot"
              + " times and eager/lazy speed-ups. Grids of at most "
              + BootTimeExperiment.SYNC_LIMIT
              + " guests run at once (200 with the table; Accept: text/csv gives the rows as"
              + " CSV); larger ones (up to "
              + BootTimeExperiment.MAX_CELLS
              + ") run as a job (202, Location: /api/v1/jobs/{jobId}).")
  @ApiResponse(
      responseCode = "200",
      description = "The table",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = BootTimeResponse.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "202",
      description = "A large grid was queued as a job",
      headers = @Header(name = "Location", description = "/api/v1/jobs/{jobId}"),
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = JobResponse.class)))
  ResponseEntity<?> bootTime(@RequestBody BootTimeRequest request) {
    BootTimeExperiment.Request req = request.toRequest();
    BootTimeRequest.checkSizes(req, maxMemoryPerVm);
    if (req.cells() <= BootTimeExperiment.SYNC_LIMIT) {
      return ResponseEntity.ok(BootTimeResponse.of(runNow(req)));
    }
    return accepted(submitBootTime(req));
  }

  @PostMapping(path = "/boot-time", produces = "text/csv")
  ResponseEntity<String> bootTimeCsv(@RequestBody BootTimeRequest request) {
    BootTimeExperiment.Request req = request.toRequest();
    BootTimeRequest.checkSizes(req, maxMemoryPerVm);
    if (req.cells() <= BootTimeExperiment.SYNC_LIMIT) {
      return ResponseEntity.ok(BootTimeExperiment.csv(runNow(req)));
    }
    JobView job = submitBootTime(req);
    return ResponseEntity.accepted().location(location(job)).build();
  }

  @PostMapping(path = "/fragmentation", produces = "application/json")
  @Operation(
      summary = "Fragmentation experiment",
      description =
          "Runs the same seeded workload on a LAZY and an EAGER guest per seed (the v9 study) as"
              + " a job; its result compares extfrag events by type per seed, the"
              + " fragmenting-movable count, final buddyinfo and unusable index, and the mean"
              + " LAZY/EAGER ratio. The workload's parameters are checked before it is queued.")
  @ApiResponse(
      responseCode = "202",
      description = "Queued; the body is the job",
      headers = @Header(name = "Location", description = "/api/v1/jobs/{jobId}"))
  ResponseEntity<JobResponse> fragmentation(@RequestBody FragmentationRequest request) {
    FragmentationExperiment.Request req = request.toRequest(maxMemoryPerVm);
    try {
      FragmentationExperiment.validate(req);
    } catch (SimulatorException e) {
      String field = e.field() == null ? "workload" : "workload." + e.field();
      throw new SimulatorException(e.kind(), field, e.getMessage());
    }
    JobView job =
        jobs.submit(
            null,
            "experiment:fragmentation",
            FragmentationRequest.parameters(req),
            ctx -> FragmentationExperiment.run(req, settings, maxMemoryPerVm, ctx));
    return accepted(job);
  }

  /** Runs a small grid on the request thread; a guest the core refuses names memorySizes. */
  private BootTimeExperiment.Result runNow(BootTimeExperiment.Request req) {
    try {
      return BootTimeExperiment.run(req, settings, maxMemoryPerVm, null);
    } catch (SimulatorException e) {
      if ("memory".equals(e.field())) {
        throw new SimulatorException(e.kind(), "memorySizes", e.getMessage());
      }
      throw e;
    }
  }

  private JobView submitBootTime(BootTimeExperiment.Request req) {
    return jobs.submit(
        null,
        "experiment:boot-time",
        BootTimeRequest.parameters(req),
        ctx -> BootTimeExperiment.run(req, settings, maxMemoryPerVm, ctx));
  }

  private static ResponseEntity<JobResponse> accepted(JobView job) {
    return ResponseEntity.accepted().location(location(job)).body(JobResponse.of(job));
  }

  private static URI location(JobView job) {
    return URI.create("/api/v1/jobs/" + job.id());
  }
}
