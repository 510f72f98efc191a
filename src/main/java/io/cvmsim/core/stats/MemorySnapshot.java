package io.cvmsim.core.stats;

import java.util.List;

/**
 * A guest's memory at one moment: everything the /proc views and the metrics print. Immutable once
 * built (arrays are not shared with the live structures).
 *
 * @param kernel the kernel model's label ("6.1", "6.5", "mainline")
 * @param dialect the dialect of the kernel's /proc files
 * @param zones all zones, populated or not, in zone order
 * @param minFreeKbytes vm.min_free_kbytes
 * @param watermarkScaleFactor vm.watermark_scale_factor
 * @param totalReservePages totalreserve_pages
 * @param pgfree pages freed to the buddy allocator since boot
 * @param allocSuccess allocations that succeeded, per order
 * @param allocFailure allocations that failed, per order
 * @param frees allocations freed, per order
 * @param extfrag extfrag event counts [alloc mt][fallback mt][change_ownership]
 * @param extfragTotal all extfrag events
 * @param extfragFragmenting events with fallback_order below pageblock_order
 * @param extfragFragmentingMovable fragmenting events that fell back to MOVABLE
 * @param kswapdWakeups kswapd's balance_pgdat() runs (mm_vmscan_kswapd_wake events)
 * @param compaction what compaction did: its vmstat counters and tracepoint counts
 * @param acceptedChunks parked chunks accepted on demand since boot
 * @param liveAllocations allocations made and not freed
 * @param zoneLocked blocks taken from the buddy lists (mm_page_alloc_zone_locked events)
 * @param pcpDrains blocks sent back from per-cpu lists (mm_page_pcpu_drain events)
 * @param movablePages pages in live MOVABLE allocations (shown as anonymous memory)
 * @param reclaimablePages pages in live RECLAIMABLE allocations (shown as reclaimable slab)
 * @param unmovablePages pages in live UNMOVABLE allocations (shown as unreclaimable slab)
 * @param percpuPages pages of the first percpu chunk
 * @param directMap bytes of the direct map at 4K, 2M and 1G
 * @param vcpus online CPUs
 * @param recentExtfrag the last extfrag events, oldest first
 * @param reclaim the page cache, the LRU lists and reclaim's counters
 */
public record MemorySnapshot(
    String kernel,
    ProcDialect dialect,
    List<ZoneSnapshot> zones,
    long minFreeKbytes,
    int watermarkScaleFactor,
    long totalReservePages,
    long pgfree,
    long[] allocSuccess,
    long[] allocFailure,
    long[] frees,
    long[][][] extfrag,
    long extfragTotal,
    long extfragFragmenting,
    long extfragFragmentingMovable,
    long kswapdWakeups,
    CompactionCounters compaction,
    long acceptedChunks,
    long liveAllocations,
    long zoneLocked,
    long pcpDrains,
    long movablePages,
    long reclaimablePages,
    long unmovablePages,
    long percpuPages,
    long[] directMap,
    int vcpus,
    List<ExtfragEventView> recentExtfrag,
    ReclaimStats reclaim) {

  /** Returns MemTotal in pages: the sum of managed pages. */
  public long totalPages() {
    long n = 0;
    for (ZoneSnapshot z : zones) {
      n += z.managedPages();
    }
    return n;
  }

  /** Returns MemFree in pages: NR_FREE_PAGES over all zones (parked chunks included). */
  public long freePages() {
    long n = 0;
    for (ZoneSnapshot z : zones) {
      n += z.freePages();
    }
    return n;
  }

  /** Returns NR_UNACCEPTED over all zones. */
  public long unacceptedPages() {
    long n = 0;
    for (ZoneSnapshot z : zones) {
      n += z.unacceptedPages();
    }
    return n;
  }

  /** Returns the sum of the zones' low watermarks (si_mem_available()'s wmark_low). */
  public long lowWatermarkPages() {
    long n = 0;
    for (ZoneSnapshot z : zones) {
      n += z.wmark(1);
    }
    return n;
  }

  /**
   * Returns MemAvailable in pages as si_mem_available() computes it: free pages minus
   * totalreserve_pages, plus the file LRU and the reclaimable kernel memory, each less the smaller
   * of its half and the low watermarks.
   */
  public long availablePages() {
    long wmarkLow = lowWatermarkPages();
    long available = freePages() - totalReservePages;
    long pagecache = reclaim.activeFile() + reclaim.inactiveFile();
    available += pagecache - Math.min(pagecache / 2, wmarkLow);
    long reclaimable = reclaimablePages;
    available += reclaimable - Math.min(reclaimable / 2, wmarkLow);
    return Math.max(0, available);
  }

  /** Returns all allocations that succeeded. */
  public long allocations() {
    long n = 0;
    for (long v : allocSuccess) {
      n += v;
    }
    return n;
  }

  /** Returns all allocations that failed. */
  public long failures() {
    long n = 0;
    for (long v : allocFailure) {
      n += v;
    }
    return n;
  }
}
