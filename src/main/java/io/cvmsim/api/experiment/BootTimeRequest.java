package io.cvmsim.api.experiment;

import io.cvmsim.api.web.Params;
import io.cvmsim.api.web.SizeValue;
import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.experiment.BootTimeExperiment;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.Platform;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The body of {@code POST /api/v1/experiments/boot-time}. */
@Schema(description = "A grid of guests to boot: every platform x memory size x policy")
record BootTimeRequest(
    @ArraySchema(
            arraySchema = @Schema(description = "Platforms to try", example = "[\"TDX\", \"SNP\"]"),
            schema = @Schema(allowableValues = {"TDX", "SNP", "NONE"}))
        List<String> platforms,
    @ArraySchema(
            arraySchema =
                @Schema(
                    description =
                        "Guest sizes: integers (bytes) or strings such as \"4GiB\" (at most"
                            + " cvmsim.limits.max-memory-per-vm)",
                    example = "[\"4GiB\", \"64GiB\"]"))
        List<SizeValue> memorySizes,
    @ArraySchema(
            arraySchema =
                @Schema(
                    description = "Accept policies (default both)",
                    example = "[\"EAGER\", \"LAZY\"]"),
            schema = @Schema(allowableValues = {"LAZY", "EAGER"}))
        List<String> policies,
    @Schema(description = "vCPUs of every guest, 1..1024", defaultValue = "4", example = "4")
        Integer vcpus,
    @Schema(
            description = "Kernel model",
            allowableValues = {"6.1", "6.5", "mainline"},
            defaultValue = "6.5",
            example = "6.5")
        String kernel,
    @Schema(
            description =
                "The largest page the host backs private memory with; 4K by default, the setting"
                    + " of the published boot-time figures",
            allowableValues = {"4K", "2M", "1G"},
            defaultValue = "4K",
            example = "4K")
        String hostPageSize,
    @Schema(
            description = "Memory the firmware accepts: integer or a size such as \"512MiB\"",
            example = "512MiB")
        SizeValue firmwareAcceptedBytes) {

  /** Returns the core's request, every field read and checked. */
  BootTimeExperiment.Request toRequest() {
    return new BootTimeExperiment.Request(
        each("platforms", platforms, Platform::ofName),
        memorySizes == null ? null : sizes(),
        each("policies", policies, AcceptPolicy::ofName),
        vcpus == null ? 4 : vcpus,
        kernel,
        Params.parse("hostPageSize", hostPageSize, PageSize::ofLabel),
        firmwareAcceptedBytes == null ? null : firmwareAcceptedBytes.bytes());
  }

  private List<Long> sizes() {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < memorySizes.size(); i++) {
      out.add(Params.required("memorySizes[" + i + "]", memorySizes.get(i)).bytes());
    }
    return out;
  }

  private static <T> List<T> each(String field, List<String> values, Function<String, T> parse) {
    if (values == null) {
      return null;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String at = field + "[" + i + "]";
      out.add(Params.parse(at, Params.required(at, values.get(i)), parse));
    }
    return out;
  }

  /** Returns the request as a job's parameters. */
  static Map<String, Object> parameters(BootTimeExperiment.Request r) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("platforms", r.platforms().stream().map(Platform::name).toList());
    p.put("memorySizes", r.memorySizes().stream().map(Sizes::format).toList());
    p.put("policies", r.policies().stream().map(AcceptPolicy::name).toList());
    p.put("vcpus", r.vcpus());
    p.put("kernel", r.kernel());
    p.put("hostPageSize", r.hostPageSize().label());
    if (r.firmwareAcceptedBytes() != null) {
      p.put("firmwareAcceptedBytes", r.firmwareAcceptedBytes());
    }
    return p;
  }

  /** Refuses sizes over the per-VM limit before anything runs. */
  static void checkSizes(BootTimeExperiment.Request r, long maxMemoryPerVm) {
    for (int i = 0; i < r.memorySizes().size(); i++) {
      long m = r.memorySizes().get(i);
      if (m > maxMemoryPerVm) {
        throw SimulatorException.tooLarge(
            "memorySizes[" + i + "]",
            Sizes.format(m)
                + " is over cvmsim.limits.max-memory-per-vm ("
                + Sizes.format(maxMemoryPerVm)
                + ")");
      }
    }
  }
}
