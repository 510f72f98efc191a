package io.cvmsim.core.workload;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.vm.GuestVm;

/**
 * Allocates blocks in batches under the guest's lock until a count is reached or allocations keep
 * failing, and frees lists of blocks the same way, spreading the operations round-robin over the
 * guest's CPUs (as a multi-threaded process would); shared by the simple workloads.
 */
final class Filler {

  /** Allocations fail this many times in a row before filling stops. */
  static final int FAILURE_STREAK = 64;

  private static final int BATCH = 16_384;

  /** What a fill got: the held pfns (the first {@code count}), failures, and why it stopped. */
  record Filled(long[] pfns, int count, long failures, boolean stoppedOnFailures) {}

  private Filler() {}

  /** Allocates up to {@code blocks} blocks, reporting progress from {@code p0} to {@code p1}. */
  static Filled fill(
      GuestVm vm, JobContext ctx, Gfp gfp, int order, long blocks, double p0, double p1) {
    long[] held = new long[(int) Math.min(Math.max(blocks, 0), Integer.MAX_VALUE - 8)];
    int[] n = {0};
    long[] failures = {0};
    int[] streak = {0};
    while (n[0] < held.length && streak[0] < FAILURE_STREAK) {
      ctx.checkCancelled();
      vm.withMemory(
          m -> {
            for (int i = 0; i < BATCH && n[0] < held.length && streak[0] < FAILURE_STREAK; i++) {
              long pfn = m.alloc(n[0] % m.cpus(), gfp, order);
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
      ctx.progress(p0 + (p1 - p0) * n[0] / Math.max(1, held.length));
    }
    return new Filled(held, n[0], failures[0], streak[0] >= FAILURE_STREAK);
  }

  /**
   * Frees {@code pfns[i]} for every {@code i < count} that {@code keep} does not keep, reporting
   * progress from {@code p0} to {@code p1}; returns how many it freed.
   */
  static int free(
      GuestVm vm, JobContext ctx, long[] pfns, int count, Keep keep, double p0, double p1) {
    int[] i = {0};
    int[] freed = {0};
    while (i[0] < count) {
      ctx.checkCancelled();
      vm.withMemory(
          m -> {
            for (int k = 0; k < BATCH && i[0] < count; k++, i[0]++) {
              if (!keep.keep(i[0])) {
                m.free(i[0] % m.cpus(), pfns[i[0]]);
                freed[0]++;
              }
            }
            return null;
          });
      ctx.progress(p0 + (p1 - p0) * i[0] / Math.max(1, count));
    }
    return freed[0];
  }

  /** Decides which of the held blocks stay allocated. */
  @FunctionalInterface
  interface Keep {
    boolean keep(int index);
  }
}
