package io.cvmsim.core.jobs;

/** What a running job may ask of the manager. */
public interface JobContext {

  /** Reports progress in [0, 1]. */
  void progress(double fraction);

  /** Returns whether cancellation was requested. */
  boolean cancelled();

  /**
   * Throws {@link JobCancelledException} if cancellation was requested; long loops call it every so
   * often.
   */
  default void checkCancelled() {
    if (cancelled()) {
      throw new JobCancelledException();
    }
  }
}
