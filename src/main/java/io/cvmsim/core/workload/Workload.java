package io.cvmsim.core.workload;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;

/** A workload, its parameters already read and checked. */
public interface Workload {

  /** Returns the parameters it runs with, defaults included. */
  Map<String, Object> parameters();

  /** Runs against {@code vm}, reporting progress and honouring cancellation. */
  WorkloadResult run(GuestVm vm, JobContext context);
}
