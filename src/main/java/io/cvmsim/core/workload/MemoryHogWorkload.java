package io.cvmsim.core.workload;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MappingKind;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fills the guest to a target, like {@code tail /dev/zero} in Intel's drain test, then releases a
 * share of what it took in a seeded random order. Stops filling after 64 failures in a row.
 *
 * <p>{@code backing} says what the pages are: {@code anon} (the default) holds the blocks as a
 * process does (no swap, so reclaim cannot take them and a fill past memory fails once nothing is
 * reclaimable); {@code file} writes a file of the target's size through the page cache, order-0
 * dirty pages that the flusher writes back past the background threshold and that kswapd and direct
 * reclaim drop when memory runs low, so a fill past memory succeeds; its release punches holes at
 * random pages that are still cached.
 */
final class MemoryHogWorkload implements Workload {

  private static final int BATCH = 16_384;

  private final boolean file;
  private final double fill;
  private final long bytes;
  private final int order;
  private final Gfp gfp;
  private final double release;
  private final long seed;
  private final Map<String, Object> params;

  MemoryHogWorkload(WorkloadParams p, Long defaultSeed) {
    p.allowOnly(Set.of("type", "fill", "bytes", "order", "gfp", "release", "seed", "backing"));
    String b = p.getString("backing", "anon", 8);
    if (!b.equals("anon") && !b.equals("file")) {
      throw SimulatorException.badRequest("backing", "backing must be anon or file");
    }
    this.file = b.equals("file");
    this.fill = p.getDouble("fill", 0.9, 0.0, 1.0);
    this.bytes = p.getBytes("bytes", 0, 0, Long.MAX_VALUE / 2);
    this.order = (int) p.getLong("order", 0, 0, file ? 0 : Sizes.MAX_ORDER);
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
    if (file) {
      return runFile(vm, ctx, meter, targetPages);
    }
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

  /** Writes a file of {@code targetPages} pages through the page cache, then punches holes. */
  private WorkloadResult runFile(GuestVm vm, JobContext ctx, RunMeter meter, long targetPages) {
    int pages = (int) Math.min(Math.max(1, targetPages), Integer.MAX_VALUE - 8);
    int mapping = vm.withMemory(m -> m.createMapping(MappingKind.FILE));
    int[] next = {0};
    long[] failures = {0};
    int[] streak = {0};
    while (next[0] < pages && streak[0] < Filler.FAILURE_STREAK) {
      ctx.checkCancelled();
      vm.withMemory(
          m -> {
            for (int k = 0;
                k < BATCH && next[0] < pages && streak[0] < Filler.FAILURE_STREAK;
                k++) {
              int i = next[0]++;
              if (m.addToMapping(i % m.cpus(), mapping, i, gfp, true) < 0) {
                failures[0]++;
                streak[0]++;
              } else {
                streak[0] = 0;
              }
            }
            return null;
          });
      ctx.progress(0.8 * next[0] / pages);
    }
    int written = next[0];
    int[] order = new int[written];
    for (int i = 0; i < written; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = written - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int toRelease = (int) Math.round(written * release);
    int[] done = {0};
    long[] freed = {0};
    while (done[0] < toRelease) {
      ctx.checkCancelled();
      vm.withMemory(
          m -> {
            for (int k = 0; k < BATCH && done[0] < toRelease; k++, done[0]++) {
              if (m.removeFromMapping(done[0] % m.cpus(), mapping, order[done[0]])) {
                freed[0]++;
              }
            }
            return null;
          });
      ctx.progress(0.8 + 0.2 * done[0] / Math.max(1, toRelease));
    }
    long cached = vm.withMemory(m -> m.mappingPages(mapping));
    long allocated = written - failures[0];
    return meter.finish(
        WorkloadType.MEMORY_HOG.label(),
        seed,
        allocated + failures[0] + freed[0],
        allocated,
        failures[0],
        freed[0],
        Map.of(
            "targetPages",
            targetPages,
            "cachedPages",
            cached,
            "reclaimedPages",
            allocated - freed[0] - cached,
            "stoppedOnFailures",
            streak[0] >= Filler.FAILURE_STREAK));
  }
}
