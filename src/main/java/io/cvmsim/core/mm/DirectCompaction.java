package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MigrateType;

/**
 * Models direct compaction in the page allocator's slow path (mm/page_alloc.c {@code
 * __alloc_pages_slowpath()} and {@code __alloc_pages_direct_compact()}, mm/compaction.c {@code
 * try_to_compact_pages()} and {@code compact_zone_order()}; v6.1 and v6.12 alike):
 *
 * <ol>
 *   <li>before direct reclaim, a caller that may reclaim and do I/O compacts first, at the cheapest
 *       priority (async), if its order is costly (above PAGE_ALLOC_COSTLY_ORDER, 3) or it wants a
 *       high-order non-movable block ({@link #beforeReclaim}); a costly __GFP_NORETRY request (a
 *       THP fault's first attempt) whose compaction was skipped or deferred gives up at once, and
 *       otherwise stays at async priority;
 *   <li>after direct reclaim it compacts again at the slow path's priority (sync light, unless kept
 *       async) ({@link #afterReclaim}).
 * </ol>
 *
 * Each run compacts the zones of the zonelist from the highest, skipping zones where compaction is
 * deferred, until one reports success; the compactor captures the first free block of its order the
 * free path forms in its zone ({@code compaction_capture()}). A run that was not skipped is a stall
 * (compact_stall); the allocation then succeeding or not is compact_success or compact_fail, and a
 * success resets the zone's deferral. {@link #afterReclaim} runs once per pass of the slow path's
 * reclaim loop ({@link DirectReclaim}); the loop's {@code should_compact_retry()} is not modeled
 * yet, so it retries only as {@code should_reclaim_retry()} allows. Runs under the VM lock; the
 * state of one slow path is kept between the calls.
 */
final class DirectCompaction {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

  private final PageAllocator a;
  private final Compaction compaction;
  private final CompactionDefer defer;
  private CompactPriority priority = CompactPriority.SYNC_LIGHT;
  private CompactResult result = CompactResult.SKIPPED;
  private boolean giveUp;

  DirectCompaction(PageAllocator a, Compaction compaction, CompactionDefer defer) {
    this.a = a;
    this.compaction = compaction;
    this.defer = defer;
  }

  /**
   * The compaction of {@code __alloc_pages_slowpath()} before direct reclaim. Returns the block it
   * got, or -1; {@link #giveUp()} then says whether the slow path ends here (nopage).
   */
  long beforeReclaim(int cpu, Gfp gfp, int order, int allocFlags, int highest, int mt) {
    priority = CompactPriority.SYNC_LIGHT;
    result = CompactResult.SKIPPED;
    giveUp = false;
    if (!a.compactionEnabled()) {
      // a replay: the trace carries the kernel's compaction, so the slow path goes on to the
      // drain and retry it had without compaction, never giving up for a skipped compaction
      return -1;
    }
    boolean costly = order > Compaction.COSTLY_ORDER;
    if (!gfp.canDirectReclaim()
        || !gfp.io()
        || !(costly || (order > 0 && mt != MOVABLE))
        || pfmemallocAllowed(gfp)) {
      return -1;
    }
    long pfn = directCompact(cpu, gfp, order, allocFlags, highest, mt, CompactPriority.ASYNC);
    if (pfn >= 0) {
      return pfn;
    }
    if (costly && gfp.noRetry()) {
      if (result == CompactResult.SKIPPED || result == CompactResult.DEFERRED) {
        giveUp = true;
        return -1;
      }
      priority = CompactPriority.ASYNC;
    }
    return -1;
  }

  /** Returns whether the slow path gives up after {@link #beforeReclaim} (goto nopage). */
  boolean giveUp() {
    return giveUp;
  }

  /** The compaction of {@code __alloc_pages_slowpath()} after direct reclaim. */
  long afterReclaim(int cpu, Gfp gfp, int order, int allocFlags, int highest, int mt) {
    return directCompact(cpu, gfp, order, allocFlags, highest, mt, priority);
  }

  /** Models {@code gfp_pfmemalloc_allowed()} for a task that is not in reclaim or OOM. */
  private static boolean pfmemallocAllowed(Gfp gfp) {
    return gfp.memalloc() && !gfp.noMemalloc();
  }

  /** Models {@code __alloc_pages_direct_compact()}. */
  private long directCompact(
      int cpu, Gfp gfp, int order, int allocFlags, int highest, int mt, CompactPriority prio) {
    if (order == 0) {
      return -1;
    }
    if (!a.compactionEnabled()) {
      result = CompactResult.SKIPPED;
      return -1;
    }
    long pfn = tryToCompactPages(cpu, gfp, order, allocFlags, highest, mt, prio);
    if (result == CompactResult.SKIPPED) {
      return -1;
    }
    a.vmstat.compactStall++;
    if (pfn < 0) {
      pfn = a.getPageFromFreelist(cpu, order, allocFlags, highest, mt);
    }
    if (pfn >= 0) {
      Zone z = a.zoneOf(pfn);
      z.compaction.blockskipFlush = false;
      defer.reset(z, order, true);
      a.vmstat.compactSuccess++;
      return pfn;
    }
    a.vmstat.compactFail++;
    return -1;
  }

  /**
   * Models {@code try_to_compact_pages()}: compacts the zones from the highest the caller may use
   * down; returns a captured block or -1, leaving the highest result in {@link #result}.
   */
  private long tryToCompactPages(
      int cpu, Gfp gfp, int order, int allocFlags, int highest, int mt, CompactPriority prio) {
    result = CompactResult.SKIPPED;
    if (!gfp.io()) {
      return -1;
    }
    a.vmstat.compaction(CompactionEvent.TRY_TO_COMPACT_PAGES);
    CompactResult rc = CompactResult.SKIPPED;
    long captured = -1;
    boolean full = prio == CompactPriority.SYNC_FULL;
    for (int i = highest; i >= 0; i--) {
      Zone z = a.zones[i];
      if (!z.managed()) {
        continue;
      }
      if (!full && defer.deferred(z, order)) {
        rc = CompactResult.max(CompactResult.DEFERRED, rc);
        continue;
      }
      CompactControl cc =
          compaction.control(
              z, cpu, order, mt, allocFlags, highest, prio.mode(), true, full, full, full, false);
      a.buddy.capture = cc;
      CompactResult status;
      try {
        status = compaction.compactZone(cc);
      } finally {
        a.buddy.capture = null;
      }
      if (cc.capturedPfn >= 0) {
        captured = cc.capturedPfn;
        status = CompactResult.SUCCESS;
      }
      rc = CompactResult.max(status, rc);
      if (status == CompactResult.SUCCESS) {
        defer.reset(z, order, false);
        break;
      }
      if (prio != CompactPriority.ASYNC
          && (status == CompactResult.COMPLETE || status == CompactResult.PARTIAL_SKIPPED)) {
        defer.defer(z, order);
      }
    }
    result = rc;
    return captured;
  }
}
