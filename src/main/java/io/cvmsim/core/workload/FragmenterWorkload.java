package io.cvmsim.core.workload;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.Gfp;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;
import java.util.Set;

/**
 * Allocates blocks up to a target, then frees every other one (every {@code every}-th kept), so
 * free memory is left in small holes; optionally then allocates {@code thenBytes} with another mask
 * to force fallbacks into the holes.
 */
final class FragmenterWorkload implements Workload {

  private static final int BATCH = 16_384;

  private final double fill;
  private final long bytes;
  private final int order;
  private final Gfp gfp;
  private final int every;
  private final long thenBytes;
  private final int thenOrder;
  private final Gfp thenGfp;
  private final long seed;
  private final Map<String, Object> params;

  FragmenterWorkload(WorkloadParams p, Long defaultSeed) {
    p.allowOnly(
        Set.of(
            "type",
            "fill",
            "bytes",
            "order",
            "gfp",
            "every",
            "thenBytes",
            "thenOrder",
            "thenGfp",
            "seed"));
    this.fill = p.getDouble("fill", 0.5, 0.0, 1.0);
    this.bytes = p.getBytes("bytes", 0, 0, Long.MAX_VALUE / 2);
    this.order = (int) p.getLong("order", 0, 0, Sizes.MAX_ORDER);
    this.gfp = p.getGfp("gfp", Gfp.GFP_HIGHUSER_MOVABLE);
    this.every = (int) p.getLong("every", 2, 2, 1 << 20);
    this.thenBytes = p.getBytes("thenBytes", 0, 0, Long.MAX_VALUE / 2);
    this.thenOrder = (int) p.getLong("thenOrder", 0, 0, Sizes.MAX_ORDER);
    this.thenGfp = p.getGfp("thenGfp", Gfp.GFP_KERNEL);
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
    long blocks = Math.max(1, targetPages >>> order);
    long[] held = new long[(int) Math.min(blocks, Integer.MAX_VALUE - 8)];
    int[] n = {0};
    long[] failures = {0};
    int[] streak = {0};
    while (n[0] < held.length && streak[0] < 64) {
      ctx.checkCancelled();
      vm.withAllocator(
          a -> {
            for (int i = 0; i < BATCH && n[0] < held.length && streak[0] < 64; i++) {
              long pfn = a.allocPages(gfp, order);
              if (pfn < 0) {
                failures[0]++;
                streak[0]++;
              } else {
                streak[0] = 0;
                held[n[0]++] = pfn;
              }
            }
            return null;
          });
      ctx.progress(0.5 * n[0] / held.length);
    }
    int[] freed = {0};
    int[] i = {0};
    while (i[0] < n[0]) {
      ctx.checkCancelled();
      vm.withAllocator(
          a -> {
            for (int k = 0; k < BATCH && i[0] < n[0]; k++, i[0]++) {
              if (i[0] % every != 0) {
                a.freePages(held[i[0]]);
                freed[0]++;
              }
            }
            return null;
          });
      ctx.progress(0.5 + 0.25 * i[0] / Math.max(1, n[0]));
    }
    long thenBlocks = thenBytes >>> (Sizes.PAGE_SHIFT + thenOrder);
    long[] thenDone = {0};
    long[] thenFailed = {0};
    while (thenDone[0] + thenFailed[0] < thenBlocks) {
      ctx.checkCancelled();
      vm.withAllocator(
          a -> {
            for (int k = 0; k < BATCH && thenDone[0] + thenFailed[0] < thenBlocks; k++) {
              if (a.allocPages(thenGfp, thenOrder) < 0) {
                thenFailed[0]++;
              } else {
                thenDone[0]++;
              }
            }
            return null;
          });
      ctx.progress(0.75 + 0.25 * (thenDone[0] + thenFailed[0]) / Math.max(1, thenBlocks));
    }
    return meter.finish(
        WorkloadType.FRAGMENTER.label(),
        seed,
        n[0] + failures[0] + freed[0] + thenDone[0] + thenFailed[0],
        n[0] + thenDone[0],
        failures[0] + thenFailed[0],
        freed[0],
        Map.of("keptBlocks", (long) (n[0] - freed[0]), "followUpAllocations", thenDone[0]));
  }
}
