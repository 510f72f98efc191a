package io.cvmsim.core.experiment;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.CompactionCounters;
import io.cvmsim.core.stats.Fragmentation;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.Workload;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadResult;
import io.cvmsim.core.workload.WorkloadType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v9 study as one call: the same seeded workload on a LAZY and an EAGER guest per seed,
 * counting {@code mm_page_alloc_extfrag} events by type, the "fragmenting and movable" events
 * separately, and the final buddyinfo and unusable index. The published outcome: lazy acceptance
 * does not make fragmentation notably worse (figures.md §1).
 */
public final class FragmentationExperiment {

  /** The most seeds one experiment may run. */
  public static final int MAX_SEEDS = 32;

  /**
   * What to run.
   *
   * @param workload the workload's parameters (type defaults to kernel-build; its seed is replaced
   *     by each seed)
   * @param memoryBytes guest RAM
   * @param seeds the seeds
   * @param platform the platform
   * @param kernel the kernel model
   * @param vcpus vCPUs
   */
  public record Request(
      Map<String, Object> workload,
      long memoryBytes,
      List<Long> seeds,
      Platform platform,
      String kernel,
      int vcpus) {

    /** Checks the request. */
    public Request {
      if (seeds == null || seeds.isEmpty()) {
        seeds = List.of(1L, 2L, 3L);
      }
      if (seeds.size() > MAX_SEEDS) {
        throw SimulatorException.tooLarge("seeds", "at most " + MAX_SEEDS + " seeds");
      }
      if (workload == null) {
        workload = Map.of();
      }
      if (platform == null) {
        platform = Platform.TDX;
      }
      if (!platform.confidential()) {
        throw SimulatorException.badRequest(
            "platform", "a plain VM has no unaccepted memory to compare");
      }
      kernel = kernel == null ? VmSpec.DEFAULT_KERNEL : VmSpec.kernelLabel(kernel);
      if (!VmSpec.supportsUnacceptedMemory(kernel)) {
        throw SimulatorException.badRequest(
            "kernel",
            "kernel " + kernel + " has no unaccepted memory: LAZY and EAGER are the same");
      }
      if (vcpus < 1 || vcpus > VmSpec.MAX_VCPUS) {
        throw SimulatorException.badRequest("vcpus", "vcpus must be between 1 and 1024");
      }
      seeds = List.copyOf(seeds);
      workload = Map.copyOf(workload);
    }
  }

  /**
   * One guest's outcome; event counts cover the workload only, not the boot, and so does {@code
   * compaction} (its /proc/vmstat counters and tracepoint counts).
   */
  public record PolicyRun(
      String policy,
      long extfragEvents,
      long fragmenting,
      long movableFallbacks,
      long fragmentingMovable,
      Map<String, Long> eventsByType,
      Map<String, long[]> buddyinfo,
      Map<String, String[]> unusableIndex,
      long unacceptedAfterBytes,
      CompactionCounters compaction,
      WorkloadResult workload) {}

  /** One seed: LAZY and EAGER. */
  public record SeedRun(long seed, PolicyRun lazy, PolicyRun eager, double lazyOverEager) {}

  /** The comparison. */
  public record Result(
      String workloadType,
      long memoryBytes,
      List<SeedRun> runs,
      double meanLazyEvents,
      double meanEagerEvents,
      double meanLazyOverEager,
      double meanLazyFragmentingMovable,
      double meanEagerFragmentingMovable,
      boolean lazyNotNotablyWorse) {}

  private FragmentationExperiment() {}

  /** Checks the workload parameters without running anything. */
  public static void validate(Request req) {
    workloadFor(req, 1);
  }

  private static Workload workloadFor(Request req, long seed) {
    Map<String, Object> params = new LinkedHashMap<>(req.workload());
    Object type = params.getOrDefault("type", WorkloadType.KERNEL_BUILD.label());
    params.put("seed", seed);
    if (!(type instanceof String t)) {
      throw SimulatorException.badRequest("workload.type", "workload.type must be a string");
    }
    WorkloadType wt = WorkloadType.ofLabel(t);
    if (wt == WorkloadType.TRACE_REPLAY) {
      // allowed: the same trace replayed on both guests
      params.remove("seed");
    }
    return wt.create(new WorkloadParams(params), seed);
  }

  /** Runs every seed on a LAZY and an EAGER guest. */
  public static Result run(Request req, VmSettings settings, long maxMemoryPerVm, JobContext ctx) {
    if (req.memoryBytes() > maxMemoryPerVm) {
      throw SimulatorException.tooLarge("memory", "memory is over cvmsim.limits.max-memory-per-vm");
    }
    List<SeedRun> runs = new ArrayList<>();
    int step = 0;
    int steps = req.seeds().size() * 2;
    String type = null;
    for (long seed : req.seeds()) {
      PolicyRun[] pair = new PolicyRun[2];
      for (AcceptPolicy policy : new AcceptPolicy[] {AcceptPolicy.LAZY, AcceptPolicy.EAGER}) {
        VmSpec spec =
            new VmSpec(
                null,
                req.platform(),
                req.kernel(),
                policy,
                req.memoryBytes(),
                null,
                null,
                req.vcpus(),
                BootStage.KERNEL,
                null,
                VmSpec.DEFAULT_KHUGEPAGED);
        GuestVm vm = GuestVm.create("experiment", spec, settings);
        Workload w = workloadFor(req, seed);
        int at = step;
        JobContext inner =
            new JobContext() {
              @Override
              public void progress(double fraction) {
                if (ctx != null) {
                  ctx.progress((at + fraction) / steps);
                }
              }

              @Override
              public boolean cancelled() {
                return ctx != null && ctx.cancelled();
              }
            };
        MemorySnapshot before = vm.memory();
        WorkloadResult wr = w.run(vm, inner);
        type = wr.type();
        pair[policy == AcceptPolicy.LAZY ? 0 : 1] = summarize(policy, before, vm.memory(), wr);
        step++;
      }
      double ratio =
          pair[1].extfragEvents() == 0
              ? (pair[0].extfragEvents() == 0 ? 1.0 : Double.POSITIVE_INFINITY)
              : (double) pair[0].extfragEvents() / pair[1].extfragEvents();
      runs.add(new SeedRun(seed, pair[0], pair[1], ratio));
    }
    double lazy = 0;
    double eager = 0;
    double lazyFm = 0;
    double eagerFm = 0;
    for (SeedRun r : runs) {
      lazy += r.lazy().extfragEvents();
      eager += r.eager().extfragEvents();
      lazyFm += r.lazy().fragmentingMovable();
      eagerFm += r.eager().fragmentingMovable();
    }
    int n = runs.size();
    double mean = eager == 0 ? (lazy == 0 ? 1.0 : Double.POSITIVE_INFINITY) : lazy / eager;
    return new Result(
        type,
        req.memoryBytes(),
        List.copyOf(runs),
        lazy / n,
        eager / n,
        mean,
        lazyFm / n,
        eagerFm / n,
        mean >= 0.5 && mean <= 2.0);
  }

  private static PolicyRun summarize(
      AcceptPolicy policy, MemorySnapshot before, MemorySnapshot s, WorkloadResult wr) {
    Map<String, Long> byType = new LinkedHashMap<>();
    long movable = 0;
    long[][][] ef = s.extfrag();
    long[][][] ef0 = before.extfrag();
    for (int a = 0; a < MigrateType.COUNT; a++) {
      for (int f = 0; f < MigrateType.COUNT; f++) {
        long n = ef[a][f][0] + ef[a][f][1] - ef0[a][f][0] - ef0[a][f][1];
        if (n > 0) {
          byType.put(MigrateType.of(a).procName() + "->" + MigrateType.of(f).procName(), n);
        }
        if (f == MigrateType.MOVABLE.ordinal()) {
          movable += n;
        }
      }
    }
    Map<String, long[]> buddy = new LinkedHashMap<>();
    Map<String, String[]> unusable = new LinkedHashMap<>();
    for (ZoneSnapshot z : s.zones()) {
      if (!z.populated()) {
        continue;
      }
      buddy.put(z.name(), z.nrFree());
      String[] idx = new String[Sizes.NR_ORDERS];
      for (int o = 0; o < Sizes.NR_ORDERS; o++) {
        idx[o] = Fragmentation.format(Fragmentation.unusableIndex(z.nrFree(), o), false);
      }
      unusable.put(z.name(), idx);
    }
    return new PolicyRun(
        policy.name(),
        wr.extfragEvents(),
        wr.extfragFragmenting(),
        movable,
        wr.extfragFragmentingMovable(),
        byType,
        buddy,
        unusable,
        s.unacceptedPages() << Sizes.PAGE_SHIFT,
        s.compaction().since(before.compaction()),
        wr);
  }
}
