package io.cvmsim.core.workload;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;
import java.util.Set;

/**
 * Allocates blocks up to a target, then frees every other one (every {@code every}-th kept), so
 * free memory is left in small holes; optionally then allocates {@code thenBytes} with another mask
 * to force fallbacks into the holes.
 */
final class FragmenterWorkload implements Workload {

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
    Filler.Filled f =
        Filler.fill(vm, ctx, gfp, order, Math.max(1, targetPages >>> order), 0.0, 0.5);
    int freed = Filler.free(vm, ctx, f.pfns(), f.count(), i -> i % every == 0, 0.5, 0.75);
    long thenBlocks = thenBytes >>> (Sizes.PAGE_SHIFT + thenOrder);
    Filler.Filled then = Filler.fill(vm, ctx, thenGfp, thenOrder, thenBlocks, 0.75, 1.0);
    return meter.finish(
        WorkloadType.FRAGMENTER.label(),
        seed,
        f.count() + f.failures() + freed + then.count() + then.failures(),
        f.count() + then.count(),
        f.failures() + then.failures(),
        freed,
        Map.of(
            "keptBlocks", (long) (f.count() - freed),
            "followUpAllocations", (long) then.count()));
  }
}
