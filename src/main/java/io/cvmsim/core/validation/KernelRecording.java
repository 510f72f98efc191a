package io.cvmsim.core.validation;

import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Map;

/**
 * One recording of a real kernel (tools/kernel-corpus/FORMAT.md, format 1), as the comparison needs
 * it: the guest it ran in, the files it wrote at boot, before tracing and after each workload
 * phase, and its trace. Built by whoever reads the recording's files (the service reads the bundled
 * ones and uploads); the trace is read again for every replay, never held in memory.
 *
 * @param name the recording's name ("linux-6.1-1g-workload")
 * @param kernelRelease uname -r of the guest
 * @param kernelVersion the Debian package version the kernel came from
 * @param model the cvmsim kernel model to compare with ("6.1", "6.12")
 * @param memoryBytes the guest's RAM (QEMU -m)
 * @param vcpus the guest's vCPUs
 * @param thp the THP setting (always, madvise, never)
 * @param traceBufferKb the ring buffer over all CPUs, KiB (0 without a trace): guest memory held
 *     from before the first traced event to the end
 * @param boot the files read right after boot, by name (zoneinfo, buddyinfo, dmesg, iomem, ...)
 * @param start the files read right before tracing began (empty without a workload)
 * @param phases the workload's phases in the order they ran
 * @param eventCounts events per event name in the trace
 * @param trace opens the trace (cvmsim-trace 1 text), or null for a boot recording
 */
public record KernelRecording(
    String name,
    String kernelRelease,
    String kernelVersion,
    String model,
    long memoryBytes,
    int vcpus,
    String thp,
    long traceBufferKb,
    Map<String, String> boot,
    Map<String, String> start,
    List<Phase> phases,
    Map<String, Long> eventCounts,
    TraceSource trace) {

  /**
   * One workload phase.
   *
   * @param name the phase's name, as its trace markers spell it
   * @param params what the phase did (sizes in bytes, counts, seeds), as the recorder wrote them
   * @param views the files read after its end marker, by name
   */
  public record Phase(String name, Map<String, Object> params, Map<String, String> views) {}

  /** Opens the recording's trace afresh. */
  @FunctionalInterface
  public interface TraceSource {
    /** Returns a reader over the whole trace text, from its first line. */
    Reader open() throws IOException;
  }

  /** Checks what can be checked without the files' contents. */
  public KernelRecording {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a recording needs a name");
    }
    if (memoryBytes <= 0 || vcpus < 1) {
      throw new IllegalArgumentException(name + ": memoryBytes and vcpus must be positive");
    }
    for (String f : List.of("zoneinfo", "buddyinfo", "pagetypeinfo", "meminfo", "dmesg", "iomem")) {
      if (!boot.containsKey(f)) {
        throw new IllegalArgumentException(name + ": boot/" + f + " is missing");
      }
    }
    if (trace != null && start.isEmpty()) {
      throw new IllegalArgumentException(name + ": a workload recording needs phases/00-start");
    }
    boot = Map.copyOf(boot);
    start = Map.copyOf(start);
    phases = List.copyOf(phases);
    eventCounts = Map.copyOf(eventCounts);
  }

  /** Returns whether the recording has a traced workload. */
  public boolean hasWorkload() {
    return trace != null;
  }
}
