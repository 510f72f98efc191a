package io.cvmsim.api.jobs;

import io.cvmsim.api.web.JobResultView;
import io.cvmsim.api.web.JobResults;
import io.cvmsim.api.web.PageResponse;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobView;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Jobs: workloads on VMs and experiments, with progress, results and cancellation. */
@RestController
@Tag(name = "Jobs", description = "Long work (workloads, experiments): progress, result, cancel")
class JobController {

  private final JobManager jobs;
  private final VmRegistry registry;
  private final JobResults results;

  JobController(JobManager jobs, VmRegistry registry, ObjectProvider<JobResultView<?>> views) {
    this.jobs = jobs;
    this.registry = registry;
    this.results = new JobResults(views.orderedStream().toList());
  }

  @GetMapping(path = "/api/v1/jobs", produces = "application/json")
  @Operation(summary = "List jobs", description = "All jobs, newest first, one page at a time.")
  PageResponse<JobResponse> list(
      @Parameter(description = "Page number, from 0", example = "0")
          @RequestParam(defaultValue = "0")
          int page,
      @Parameter(description = "Page size, 1..1000", example = "20")
          @RequestParam(defaultValue = "20")
          int size) {
    return PageResponse.of(jobs.list(null), page, size, j -> JobResponse.of(j, results));
  }

  @GetMapping(path = "/api/v1/vms/{id}/jobs", produces = "application/json")
  @Operation(summary = "List a VM's jobs", description = "The VM's jobs, newest first.")
  PageResponse<JobResponse> listForVm(
      @Parameter(description = "VM id or name", example = "tdx-64g") @PathVariable String id,
      @Parameter(description = "Page number, from 0", example = "0")
          @RequestParam(defaultValue = "0")
          int page,
      @Parameter(description = "Page size, 1..1000", example = "20")
          @RequestParam(defaultValue = "20")
          int size) {
    GuestVm vm = registry.get(id);
    return PageResponse.of(jobs.list(vm.id()), page, size, j -> JobResponse.of(j, results));
  }

  @GetMapping(path = "/api/v1/jobs/{jobId}", produces = "application/json")
  @Operation(
      summary = "Get a job",
      description =
          "{id, vmId, type, state, progress (0..1), parameters, result, error, createdAt,"
              + " startedAt, finishedAt}. A finished job's result is what the endpoint that"
              + " started it answers; a finished boot-time experiment or kernel comparison also"
              + " answers Accept: text/csv with its rows.")
  JobResponse get(
      @Parameter(description = "Job id", example = "job-1-3f2a") @PathVariable String jobId) {
    return JobResponse.of(jobs.get(jobId), results);
  }

  @GetMapping(path = "/api/v1/jobs/{jobId}", produces = "text/csv")
  String getCsv(@PathVariable String jobId) {
    JobView job = jobs.get(jobId);
    return results
        .csv(job.result())
        .orElseThrow(
            () ->
                SimulatorException.conflict(
                    "job "
                        + jobId
                        + " has no CSV: only a finished boot-time experiment or kernel comparison"
                        + " has (state "
                        + job.state()
                        + ", type "
                        + job.type()
                        + ")"));
  }

  @DeleteMapping(path = "/api/v1/jobs/{jobId}", produces = "application/json")
  @Operation(
      summary = "Cancel a job",
      description =
          "Requests cancellation: a queued job never starts, a running one stops at its next"
              + " check. 202 with the job while it winds down, 200 if it had already ended.")
  @ApiResponse(responseCode = "202", description = "Cancellation requested")
  @ApiResponse(responseCode = "200", description = "The job had already ended")
  ResponseEntity<JobResponse> cancel(
      @Parameter(description = "Job id", example = "job-1-3f2a") @PathVariable String jobId) {
    JobView job = jobs.cancel(jobId);
    HttpStatus status = job.state().finished() ? HttpStatus.OK : HttpStatus.ACCEPTED;
    return ResponseEntity.status(status).body(JobResponse.of(job, results));
  }
}
