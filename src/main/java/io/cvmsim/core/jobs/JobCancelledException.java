package io.cvmsim.core.jobs;

/** Thrown inside a job that noticed it was cancelled. */
public final class JobCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public JobCancelledException() {
    super("cancelled");
  }
}
