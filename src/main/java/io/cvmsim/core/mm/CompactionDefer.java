package io.cvmsim.core.mm;

/**
 * Models compaction's deferral of mm/compaction.c (the same in v6.1 and v6.12): after a failed
 * compaction for some order, the zone skips the next {@code 1 << compact_defer_shift} attempts at
 * that order or above ({@code defer_compaction()}, {@code compaction_deferred()}), the shift
 * growing up to {@code COMPACT_MAX_DEFER_SHIFT} (6, so at most 64 skipped attempts); a success
 * resets it ({@code compaction_defer_reset()}). Each function fires its tracepoint.
 */
final class CompactionDefer {

  /** COMPACT_MAX_DEFER_SHIFT: never skip more than 64 attempts. */
  static final int MAX_DEFER_SHIFT = 6;

  private final Vmstat vmstat;

  CompactionDefer(Vmstat vmstat) {
    this.vmstat = vmstat;
  }

  /** Models {@code defer_compaction()}. */
  void defer(Zone z, int order) {
    ZoneCompaction c = z.compaction;
    c.considered = 0;
    c.deferShift++;
    if (order < c.orderFailed) {
      c.orderFailed = order;
    }
    if (c.deferShift > MAX_DEFER_SHIFT) {
      c.deferShift = MAX_DEFER_SHIFT;
    }
    vmstat.compaction(CompactionEvent.DEFER_COMPACTION);
  }

  /** Models {@code compaction_deferred()}: returns whether this attempt should be skipped. */
  boolean deferred(Zone z, int order) {
    ZoneCompaction c = z.compaction;
    long limit = 1L << c.deferShift;
    if (order < c.orderFailed) {
      return false;
    }
    if (++c.considered >= limit) {
      c.considered = (int) limit;
      return false;
    }
    vmstat.compaction(CompactionEvent.DEFERRED);
    return true;
  }

  /**
   * Models {@code compaction_defer_reset()}: after a compaction of {@code order} that succeeded
   * ({@code allocSuccess}: the allocation got its page) or is expected to.
   */
  void reset(Zone z, int order, boolean allocSuccess) {
    ZoneCompaction c = z.compaction;
    if (allocSuccess) {
      c.considered = 0;
      c.deferShift = 0;
    }
    if (order >= c.orderFailed) {
      c.orderFailed = order + 1;
    }
    vmstat.compaction(CompactionEvent.DEFER_RESET);
  }

  /** Models {@code compaction_restarting()}: retrying after the most failures there can be. */
  static boolean restarting(Zone z, int order) {
    ZoneCompaction c = z.compaction;
    if (order < c.orderFailed) {
      return false;
    }
    return c.deferShift == MAX_DEFER_SHIFT && c.considered >= 1L << c.deferShift;
  }
}
