package io.cvmsim.core.jobs;

import java.time.Instant;
import java.util.Map;

/**
 * A job at one moment.
 *
 * @param id the job's id
 * @param vmId the VM it runs on, or null for an experiment
 * @param type what it runs ("kernel-build", "experiment:boot-time", ...)
 * @param parameters the parameters it was started with
 * @param state its state
 * @param progress progress in [0, 1]
 * @param result the result once SUCCEEDED, else null
 * @param error the reason once FAILED, else null
 * @param createdAt when it was submitted
 * @param startedAt when it started, or null
 * @param finishedAt when it ended, or null
 */
public record JobView(
    String id,
    String vmId,
    String type,
    Map<String, Object> parameters,
    JobState state,
    double progress,
    Object result,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {}
