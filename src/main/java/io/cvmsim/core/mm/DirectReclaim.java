package io.cvmsim.core.mm;

import io.cvmsim.core.memory.WatermarkLevel;

/**
 * Models direct reclaim in the allocator's slow path: {@code __alloc_pages_direct_reclaim()} and
 * {@code should_reclaim_retry()} (mm/page_alloc.c at v6.1 and v6.12), over {@code
 * try_to_free_pages()} and {@code do_try_to_free_pages()} (mm/vmscan.c): the allocating task
 * reclaims SWAP_CLUSTER_MAX pages from the node's LRU lists at falling priorities (counted in
 * allocstall_ZONE and pgscan_direct/pgsteal_direct), freeing them to its own CPU's per-cpu lists;
 * if that made progress it tries the freelists again, and once more after draining every CPU's
 * per-cpu lists. The slow path calls it again while {@link #shouldRetry} says reclaim can still
 * help: some zone would pass its min watermark if all its reclaimable pages were freed, discounted
 * by the attempts that made no progress (at most MAX_RECLAIM_RETRIES of them).
 *
 * <p>When kswapd's runs come from a replayed trace ({@link Kswapd#fromTrace()}), so does reclaim:
 * the kernel's direct reclaim is the trace's frees before the allocation, nothing is on the model's
 * LRU lists, so an attempt counts as progress without reclaiming — the allocator drains the per-cpu
 * lists and tries again, as the kernel does after progress — and is not repeated.
 *
 * <p>Not modeled: unreserve_highatomic_pageblock(), the throttling of direct reclaimers
 * (throttle_direct_reclaim()), and compaction_ready() for costly orders (the compaction model's).
 */
final class DirectReclaim {

  private static final int MIN = WatermarkLevel.MIN.ordinal();

  private final Zone[] zones;
  private final Lru lru;
  private final Vmscan vmscan;
  private final Kswapd kswapd;
  private final PerCpuPages pcp;
  private final WatermarkCheck check;
  private final Vmstat vmstat;

  DirectReclaim(
      Zone[] zones,
      Lru lru,
      Vmscan vmscan,
      Kswapd kswapd,
      PerCpuPages pcp,
      WatermarkCheck check,
      Vmstat vmstat) {
    this.zones = zones;
    this.lru = lru;
    this.vmscan = vmscan;
    this.kswapd = kswapd;
    this.pcp = pcp;
    this.check = check;
    this.vmstat = vmstat;
  }

  /** Retries the freelists after reclaim (get_page_from_freelist() with the slow path's flags). */
  @FunctionalInterface
  interface Retry {
    /** Returns the head pfn, or -1. */
    long getPageFromFreelist();
  }

  /**
   * Models {@code __alloc_pages_direct_reclaim()}: reclaims on {@code cpu} for an allocation of
   * {@code order} that may use zones up to {@code reclaimIdx}; if that made progress, retries the
   * freelists, and once more after draining the per-cpu lists. Returns the page, or -1; {@link
   * #progress} tells whether reclaim made progress.
   */
  long allocate(int cpu, int order, int reclaimIdx, Retry retry) {
    progress = kswapd.fromTrace() ? 1 : tryToFreePages(cpu, order, reclaimIdx);
    if (progress == 0) {
      return -1;
    }
    long pfn = retry.getPageFromFreelist();
    if (pfn < 0) {
      pcp.drainAll();
      pfn = retry.getPageFromFreelist();
    }
    return pfn;
  }

  /** The pages the last {@link #allocate} reclaimed (1 when the trace reclaims). */
  long progress;

  /**
   * Models {@code try_to_free_pages()} and {@code do_try_to_free_pages()}: reclaims
   * SWAP_CLUSTER_MAX pages, lowering the priority from DEF_PRIORITY while it has not; once more
   * with every active list deactivated if it skipped some; returns the pages reclaimed.
   */
  long tryToFreePages(int cpu, int order, int reclaimIdx) {
    Vmscan.ScanControl sc = new Vmscan.ScanControl();
    sc.nrToReclaim = Vmscan.SWAP_CLUSTER_MAX;
    sc.reclaimIdx = reclaimIdx;
    sc.order = order;
    sc.cpu = cpu;
    while (true) {
      vmstat.allocstall[reclaimIdx]++;
      do {
        sc.nrScanned = 0;
        if (vmscan.shrinkNode(sc) > 0) {
          kswapd.failures = 0;
        }
        if (sc.nrReclaimed >= sc.nrToReclaim) {
          break;
        }
      } while (--sc.priority >= 0);
      if (sc.nrReclaimed > 0 || !sc.skippedDeactivate) {
        return sc.nrReclaimed;
      }
      sc.priority = Vmscan.DEF_PRIORITY;
      sc.forceDeactivate = true;
      sc.skippedDeactivate = false;
    }
  }

  /**
   * Models {@code should_reclaim_retry()}: counts an attempt without progress (any attempt for a
   * costly order) in {@code noProgressLoops[0]}, gives up past MAX_RECLAIM_RETRIES, and otherwise
   * retries if some zone up to {@code highestIdx} would pass its min watermark with its free pages
   * and its reclaimable file pages, less the share the failed attempts discount.
   */
  boolean shouldRetry(int order, int allocFlags, int highestIdx, int[] noProgressLoops) {
    if (kswapd.fromTrace()) {
      return false;
    }
    if (progress > 0 && order <= Pageset.COSTLY_ORDER) {
      noProgressLoops[0] = 0;
    } else {
      noProgressLoops[0]++;
    }
    int loops = noProgressLoops[0];
    if (loops > Kswapd.MAX_RECLAIM_RETRIES) {
      return false;
    }
    for (int i = Math.min(highestIdx, zones.length - 1); i >= 0; i--) {
      Zone z = zones[i];
      if (!z.managed()) {
        continue;
      }
      long available = reclaimable(z) + z.nrFreePages;
      available -=
          (loops * available + Kswapd.MAX_RECLAIM_RETRIES - 1) / Kswapd.MAX_RECLAIM_RETRIES;
      if (check.ok(z, order, z.wmark(MIN), highestIdx, allocFlags, available)) {
        return true;
      }
    }
    return false;
  }

  /** Models {@code zone_reclaimable_pages()} with no swap: the zone's file LRU pages. */
  long reclaimable(Zone z) {
    return lru.zonePages(Lru.INACTIVE_FILE, z.idx) + lru.zonePages(Lru.ACTIVE_FILE, z.idx);
  }
}
