package io.cvmsim.core.jobs;

/** Where a job is in its life. */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** Queued or running when the service stopped; it does not go on after a restart. */
  INTERRUPTED;

  /** Returns whether the job has ended. */
  public boolean finished() {
    return this != QUEUED && this != RUNNING;
  }
}
