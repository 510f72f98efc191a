package io.cvmsim.scenario.expr;

import io.cvmsim.core.workload.WorkloadResult;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a finished step reports, by the kind of step, with their dimensions; expressions read
 * them as {@code steps.<id>.<field>} (and a sweep's workload as {@code workload.<field>}). Real
 * (wall-clock) time is never among them, so every value is reproducible from the seeds.
 */
public enum StepFields {
  /** A workload's result. */
  WORKLOAD(
      fields(
          "events", Dim.NUMBER,
          "allocations", Dim.NUMBER,
          "failures", Dim.NUMBER,
          "frees", Dim.NUMBER,
          "extfragEvents", Dim.NUMBER,
          "extfragFragmenting", Dim.NUMBER,
          "extfragFragmentingMovable", Dim.NUMBER,
          "unacceptedBytesBefore", Dim.BYTES,
          "unacceptedBytesAfter", Dim.BYTES,
          "acceptedChunks", Dim.NUMBER,
          "acceptSeconds", Dim.SECONDS)),
  /** An allocation request: blocks handed out and blocks that could not be. */
  ALLOCATE(fields("allocated", Dim.NUMBER, "failed", Dim.NUMBER)),
  /** A free: blocks freed. */
  FREE(fields("freed", Dim.NUMBER)),
  /** An accept_memory() call: arch_accept_memory() calls, bytes accepted, bytes left. */
  ACCEPT(fields("calls", Dim.NUMBER, "acceptedBytes", Dim.BYTES, "unacceptedBytes", Dim.BYTES)),
  /** A step that reports nothing (boot, snapshot, wait, expect). */
  NONE(Map.of());

  private final Map<String, Dim> fields;

  StepFields(Map<String, Dim> fields) {
    this.fields = fields;
  }

  private static Map<String, Dim> fields(Object... pairs) {
    Map<String, Dim> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Dim) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Returns the fields and their dimensions, in documentation order. */
  public Map<String, Dim> fields() {
    return fields;
  }

  /** Returns a workload result's values (wall-clock time left out). */
  public static Map<String, BigDecimal> of(WorkloadResult r) {
    Map<String, BigDecimal> v = new LinkedHashMap<>();
    v.put("events", BigDecimal.valueOf(r.events()));
    v.put("allocations", BigDecimal.valueOf(r.allocations()));
    v.put("failures", BigDecimal.valueOf(r.failures()));
    v.put("frees", BigDecimal.valueOf(r.frees()));
    v.put("extfragEvents", BigDecimal.valueOf(r.extfragEvents()));
    v.put("extfragFragmenting", BigDecimal.valueOf(r.extfragFragmenting()));
    v.put("extfragFragmentingMovable", BigDecimal.valueOf(r.extfragFragmentingMovable()));
    v.put("unacceptedBytesBefore", BigDecimal.valueOf(r.unacceptedBytesBefore()));
    v.put("unacceptedBytesAfter", BigDecimal.valueOf(r.unacceptedBytesAfter()));
    v.put("acceptedChunks", BigDecimal.valueOf(r.acceptedChunks()));
    v.put("acceptSeconds", BigDecimal.valueOf(r.simulatedAcceptNanos(), 9));
    return v;
  }
}
