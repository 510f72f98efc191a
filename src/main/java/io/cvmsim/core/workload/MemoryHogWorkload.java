package io.cvmsim.core.workload;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fills the guest to a target, like {@code tail /dev/zero} in Intel's drain test, then releases a
 * share of what it took in a seeded random order. Stops filling after 64 failures in a row.
 */
final class MemoryHogWorkload implements Workload {

  private final double fill;
  private final long bytes;
  private final int order;
  private final Gfp gfp;
  private final double release;
  private final long seed;
  private final Map<String, Object> params;

  MemoryHogWorkload(WorkloadParams p, Long defaultSeed) {
    p.allowOnly(Set.of("type", "fill", "bytes", "order", "gfp", "release", "seed"));
    this.fill = p.getDouble("fill", 0.9, 0.0, 1.0);
    this.bytes = p.getBytes("bytes", 0, 0, Long.MAX_VALUE / 2);
    this.order = (int) p.getLong("order", 0, 0, Sizes.MAX_ORDER);
    this.gfp = p.getGfp("gfp", Gfp.GFP_HIGHUSER_MOVABLE);
    this.release = p.getDouble("release", 1.0, 0.0, 1.0);
    this.seed = p.getLong("seed", defaultSeed, 0, Long.MAX_VALUE);
    this.params = p.effective();
  }

  @Override
  public Map<String, Object> parameters() {
    return params;
  }

  @Override
  public WorkloadResult run(GuestVm vm, JobContext ctx) {
    RunMeter meter = new RunMeter(vm);
    long targetPages = bytes > 0 ? bytes >>> Sizes.PAGE_SHIFT : (long) (meter.totalPages() * fill);
    Filler.Filled f =
        Filler.fill(vm, ctx, gfp, order, Math.max(1, targetPages >>> order), 0.0, 0.8);
    long[] held = f.pfns();
    int allocated = f.count();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = allocated - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      long t = held[i];
      held[i] = held[j];
      held[j] = t;
    }
    int toFree = (int) Math.round(allocated * release);
    int freed = Filler.free(vm, ctx, held, toFree, i -> false, 0.8, 1.0);
    return meter.finish(
        WorkloadType.MEMORY_HOG.label(),
        seed,
        allocated + f.failures() + freed,
        allocated,
        f.failures(),
        freed,
        Map.of(
            "targetPages",
            targetPages,
            "heldPages",
            (long) (allocated - freed) << order,
            "stoppedOnFailures",
            f.stoppedOnFailures()));
  }
}
