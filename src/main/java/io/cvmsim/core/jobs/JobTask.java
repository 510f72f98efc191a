package io.cvmsim.core.jobs;

/** The work of a job: returns its result (a record the API can serialise). */
@FunctionalInterface
public interface JobTask {

  /** Runs the job. */
  Object run(JobContext context) throws Exception;
}
