package io.cvmsim.api;

import io.cvmsim.core.jobs.JobManager;
import io.cvmsim.core.jobs.JobView;
import java.time.Duration;

/** Waits for jobs in tests. */
public final class JobsAwait {

  private JobsAwait() {}

  /** Returns the job once it has ended, failing after {@code timeout}. */
  public static JobView finished(JobManager jobs, String id, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JobView j = jobs.get(id);
      if (j.state().finished()) {
        return j;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " did not finish in " + timeout + ": " + j);
      }
      Thread.sleep(20);
    }
  }
}
