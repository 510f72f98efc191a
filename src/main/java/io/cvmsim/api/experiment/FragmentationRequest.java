package io.cvmsim.api.experiment;

import io.cvmsim.api.web.Params;
import io.cvmsim.api.web.SizeValue;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.experiment.FragmentationExperiment;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.Platform;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/v1/experiments/fragmentation}. */
@Schema(description = "The same seeded workload on a LAZY and an EAGER guest, per seed")
record FragmentationRequest(
    @Schema(
            description =
                "The workload: {type (default kernel-build), ...parameters} as for POST"
                    + " /vms/{id}/workloads; its seed is replaced by each seed",
            example = "{\"type\": \"kernel-build\", \"parallelism\": 8, \"events\": 200000}")
        Map<String, Object> workload,
    @Schema(
            description = "Guest RAM: an integer or a size such as \"16GiB\"",
            defaultValue = "16GiB",
            example = "16GiB")
        SizeValue memory,
    @Schema(description = "Seeds (at most 32; default [1, 2, 3])", example = "[1, 2, 3]")
        List<Long> seeds,
    @Schema(
            description = "TDX or SNP",
            allowableValues = {"TDX", "SNP"},
            defaultValue = "TDX",
            example = "TDX")
        String platform,
    @Schema(
            description = "Kernel model",
            allowableValues = {"6.1", "6.5", "mainline"},
            defaultValue = "6.5",
            example = "6.5")
        String kernel,
    @Schema(description = "vCPUs, 1..1024", defaultValue = "16", example = "16") Integer vcpus) {

  /** The v9 study's guest size. */
  static final long DEFAULT_MEMORY = 16 * Sizes.GIB;

  /** Returns the core's request, every field read and checked. */
  FragmentationExperiment.Request toRequest(long maxMemoryPerVm) {
    long mem = memory == null ? DEFAULT_MEMORY : memory.bytes();
    if (mem > maxMemoryPerVm) {
      throw SimulatorException.tooLarge(
          "memory",
          Sizes.format(mem)
              + " is over cvmsim.limits.max-memory-per-vm ("
              + Sizes.format(maxMemoryPerVm)
              + ")");
    }
    if (seeds != null) {
      for (int i = 0; i < seeds.size(); i++) {
        Long s = Params.required("seeds[" + i + "]", seeds.get(i));
        if (s < 0) {
          throw SimulatorException.badRequest(
              "seeds[" + i + "]", "seeds must not be negative, got " + s);
        }
      }
    }
    if (workload != null) {
      for (Map.Entry<String, Object> e : workload.entrySet()) {
        if (e.getValue() == null
            || e.getValue() instanceof BigInteger
            || e.getValue() instanceof BigDecimal) {
          throw SimulatorException.badRequest(
              "workload." + e.getKey(),
              "workload." + e.getKey() + " must be a value in range, got " + e.getValue());
        }
      }
    }
    return new FragmentationExperiment.Request(
        workload,
        mem,
        seeds,
        Params.parse("platform", platform, Platform::ofName),
        kernel,
        vcpus == null ? 16 : vcpus);
  }

  /** Returns the request as a job's parameters. */
  static Map<String, Object> parameters(FragmentationExperiment.Request r) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("workload", r.workload());
    p.put("memory", Sizes.format(r.memoryBytes()));
    p.put("seeds", r.seeds());
    p.put("platform", r.platform().name());
    p.put("kernel", r.kernel());
    p.put("vcpus", r.vcpus());
    return p;
  }
}
