package io.cvmsim.core.workload;

import io.cvmsim.core.SimulatorException;
import java.util.Locale;
import java.util.function.BiFunction;

/** The workloads a guest can run, each with its factory. */
public enum WorkloadType {
  KERNEL_BUILD("kernel-build", KernelBuildWorkload::new),
  MEMORY_HOG("memory-hog", MemoryHogWorkload::new),
  FRAGMENTER("fragmenter", FragmenterWorkload::new),
  TRACE_REPLAY("trace-replay", TraceReplayWorkload::new);

  private final String label;
  private final BiFunction<WorkloadParams, Long, Workload> factory;

  WorkloadType(String label, BiFunction<WorkloadParams, Long, Workload> factory) {
    this.label = label;
    this.factory = factory;
  }

  /** Returns the name the API uses ("kernel-build", ...). */
  public String label() {
    return label;
  }

  /**
   * Returns a workload of this type with checked parameters.
   *
   * @param defaultSeed the seed to use when the parameters give none
   */
  public Workload create(WorkloadParams params, long defaultSeed) {
    return factory.apply(params, defaultSeed);
  }

  /** Returns the type with this label. */
  public static WorkloadType ofLabel(String label) {
    if (label == null) {
      throw SimulatorException.badRequest("type", "type is required");
    }
    String l = label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (WorkloadType t : values()) {
      if (t.label.equals(l)) {
        return t;
      }
    }
    throw SimulatorException.badRequest(
        "type",
        "unknown workload type '"
            + label
            + "' (use kernel-build, memory-hog, fragmenter or"
            + " trace-replay)");
  }
}
