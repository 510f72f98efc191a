package io.cvmsim.sweep;

import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.WorkloadType;
import io.cvmsim.scenario.expr.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked sweep file: the Cartesian product memorySizes × platforms × kernels × policies ×
 * workloads × seeds (in that order, the last varying fastest), the settings every guest shares, and
 * the measures each configuration reports. Configuration {@code k} (from 0, in product order) goes
 * to shard {@code k mod N}.
 *
 * @param name the sweep's name (output file names start with it)
 * @param description free text, or null
 * @param sha256 the SHA-256 of the file's bytes, in hex: shards of one sweep carry the same
 * @param memorySizes guest sizes in bytes
 * @param platforms platforms
 * @param kernels kernel models
 * @param policies accept policies
 * @param workloads workloads (empty: boot only)
 * @param seeds seeds
 * @param guest the settings every guest shares
 * @param measures the columns each configuration reports
 */
public record Sweep(
    String name,
    String description,
    String sha256,
    List<Long> memorySizes,
    List<Platform> platforms,
    List<KernelModel> kernels,
    List<AcceptPolicy> policies,
    List<Workload> workloads,
    List<Long> seeds,
    Guest guest,
    List<Measure> measures) {

  /** The columns every row starts with, before the measures; "error" comes last. */
  public static final List<String> KEY_COLUMNS =
      List.of("index", "memory", "platform", "kernel", "policy", "workload", "seed");

  /**
   * A workload of the workloads axis.
   *
   * @param name its name in the rows (the type when the file gives none)
   * @param type the type
   * @param parameters its parameters, without the seed (the seeds axis gives it)
   */
  public record Workload(String name, WorkloadType type, Map<String, Object> parameters) {

    /** Returns the parameters with {@code seed}. */
    public Map<String, Object> withSeed(long seed) {
      Map<String, Object> p = new LinkedHashMap<>(parameters);
      p.put("seed", seed);
      return p;
    }
  }

  /**
   * What every guest of the sweep shares.
   *
   * @param vcpus vCPUs
   * @param hostPageSize the host's largest private page, or null for the configured default
   * @param firmwareAcceptedBytes what the firmware accepts, or null for the default
   * @param khugepaged whether THP is on
   */
  public record Guest(
      int vcpus, PageSize hostPageSize, Long firmwareAcceptedBytes, boolean khugepaged) {}

  /**
   * One column of the rows.
   *
   * @param name the column's name
   * @param text the expression as written
   * @param expr the checked expression
   */
  public record Measure(String name, String text, Expr expr) {}

  /**
   * One configuration.
   *
   * @param index its number in product order, from 0
   * @param memoryBytes guest RAM
   * @param platform the platform
   * @param kernel the kernel model
   * @param policy the accept policy
   * @param workload the workload, or null
   * @param seed the seed
   */
  public record Configuration(
      long index,
      long memoryBytes,
      Platform platform,
      KernelModel kernel,
      AcceptPolicy policy,
      Workload workload,
      long seed) {

    /** Returns the VM spec of this configuration (unnamed). */
    public VmSpec spec(Guest g) {
      return new VmSpec(
          null,
          platform,
          kernel.label(),
          policy,
          memoryBytes,
          null,
          g.firmwareAcceptedBytes(),
          g.vcpus(),
          BootStage.KERNEL,
          g.hostPageSize(),
          g.khugepaged());
    }

    /** Returns the key cells of the row, in {@link #KEY_COLUMNS} order. */
    public List<Object> keys() {
      List<Object> k = new ArrayList<>();
      k.add(index);
      k.add(Sizes.format(memoryBytes));
      k.add(platform.name());
      k.add(kernel.label());
      k.add(policy.name());
      k.add(workload == null ? "none" : workload.name());
      k.add(seed);
      return k;
    }
  }

  /** Returns the number of configurations. */
  public long size() {
    return (long) memorySizes.size()
        * platforms.size()
        * kernels.size()
        * policies.size()
        * Math.max(1, workloads.size())
        * seeds.size();
  }

  /** Returns configuration {@code k} (product order, the last axis fastest). */
  public Configuration configuration(long k) {
    if (k < 0 || k >= size()) {
      throw new IndexOutOfBoundsException("configuration " + k + " of " + size());
    }
    long r = k;
    int s = (int) (r % seeds.size());
    r /= seeds.size();
    int wn = Math.max(1, workloads.size());
    int w = (int) (r % wn);
    r /= wn;
    int p = (int) (r % policies.size());
    r /= policies.size();
    int kk = (int) (r % kernels.size());
    r /= kernels.size();
    int pl = (int) (r % platforms.size());
    r /= platforms.size();
    int m = (int) r;
    return new Configuration(
        k,
        memorySizes.get(m),
        platforms.get(pl),
        kernels.get(kk),
        policies.get(p),
        workloads.isEmpty() ? null : workloads.get(w),
        seeds.get(s));
  }

  /** Returns the columns of the rows: the keys, the measures, then "error". */
  public List<String> columns() {
    List<String> c = new ArrayList<>(KEY_COLUMNS);
    for (Measure m : measures) {
      c.add(m.name());
    }
    c.add("error");
    return c;
  }
}
