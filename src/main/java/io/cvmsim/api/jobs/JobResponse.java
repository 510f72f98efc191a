package io.cvmsim.api.jobs;

import io.cvmsim.api.web.JobResults;
import io.cvmsim.core.jobs.JobState;
import io.cvmsim.core.jobs.JobView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/** A job at one moment. */
@Schema(description = "A job (a workload on a VM, or an experiment) at one moment")
public record JobResponse(
    @Schema(description = "The job's id", example = "job-1-3f2a") String id,
    @Schema(description = "The VM it runs on, or null for an experiment", example = "vm-k3m9x2p7qa")
        String vmId,
    @Schema(
            description = "What it runs: a workload type or experiment:<name>",
            example = "kernel-build")
        String type,
    @Schema(
            description =
                "QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, or INTERRUPTED: a VM's job that was"
                    + " queued or running when the service stopped (it does not go on after a"
                    + " restart)",
            example = "RUNNING")
        JobState state,
    @Schema(description = "Progress, 0..1", example = "0.42") double progress,
    @Schema(
            description = "The parameters it runs with, defaults included",
            example = "{\"parallelism\": 8, \"events\": 1000000, \"seed\": 42}")
        Map<String, Object> parameters,
    @Schema(description = "The result once SUCCEEDED, else null") Object result,
    @Schema(description = "Why it FAILED, else null", example = "null") String error,
    @Schema(description = "When it was submitted", example = "2025-01-01T12:00:00Z")
        Instant createdAt,
    @Schema(description = "When it started, or null", example = "2025-01-01T12:00:00Z")
        Instant startedAt,
    @Schema(description = "When it ended, or null", example = "2025-01-01T12:00:05Z")
        Instant finishedAt) {

  /** Returns the answer for the core's view, its result as the core gives it. */
  public static JobResponse of(JobView j) {
    return of(j, null);
  }

  /**
   * Returns the answer for the core's view, its result as the endpoint that started the job shows
   * it ({@code results} null: as the core gives it).
   */
  public static JobResponse of(JobView j, JobResults results) {
    return new JobResponse(
        j.id(),
        j.vmId(),
        j.type(),
        j.state(),
        j.progress(),
        j.parameters(),
        results == null ? j.result() : results.json(j.result()),
        j.error(),
        j.createdAt(),
        j.startedAt(),
        j.finishedAt());
  }
}
