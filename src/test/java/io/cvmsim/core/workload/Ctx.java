package io.cvmsim.core.workload;

import io.cvmsim.core.jobs.JobContext;

/** A job context that records progress. */
public final class Ctx implements JobContext {
  public double progress;
  public volatile boolean cancel;

  @Override
  public void progress(double fraction) {
    progress = fraction;
  }

  @Override
  public boolean cancelled() {
    return cancel;
  }
}
