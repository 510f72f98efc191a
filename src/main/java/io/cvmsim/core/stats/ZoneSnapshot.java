package io.cvmsim.core.stats;

/**
 * One zone at one moment.
 *
 * @param name the zone's name ("DMA", "DMA32", "Normal", "Movable", "Device")
 * @param index the zone index
 * @param populated whether the zone has present pages
 * @param startPfn zone_start_pfn
 * @param spannedPages spanned pages
 * @param presentPages present pages
 * @param managedPages managed pages (given to the buddy allocator, parked chunks included)
 * @param freePages NR_FREE_PAGES (parked chunks included)
 * @param unacceptedPages NR_UNACCEPTED
 * @param allocatedPages pages in live allocations
 * @param freeHighatomicPages pages on HIGHATOMIC lists
 * @param reservedHighatomicPages nr_reserved_highatomic
 * @param watermarks min, low, high, promo without the boost
 * @param watermarkBoost watermark_boost
 * @param lowmemReserve lowmem_reserve[] (protection)
 * @param nrFree free blocks per order, all migrate types (buddyinfo)
 * @param freeBlocks free blocks per order and migrate type ([order][mt], pagetypeinfo)
 * @param pageblocks pageblocks per migrate type
 * @param pgalloc pages allocated from this zone since boot
 * @param parkedRuns runs of parked chunks (how compactly parked memory is held)
 * @param pagesets per CPU: the pages on its per-cpu lists, its high and its batch
 * @param lruPages pages of this zone on the LRU lists (inactive anon, active anon, inactive file,
 *     active file)
 * @param writePendingPages NR_ZONE_WRITE_PENDING: dirty and writeback pages of this zone
 */
public record ZoneSnapshot(
    String name,
    int index,
    boolean populated,
    long startPfn,
    long spannedPages,
    long presentPages,
    long managedPages,
    long freePages,
    long unacceptedPages,
    long allocatedPages,
    long freeHighatomicPages,
    long reservedHighatomicPages,
    long[] watermarks,
    long watermarkBoost,
    long[] lowmemReserve,
    long[] nrFree,
    long[][] freeBlocks,
    long[] pageblocks,
    long pgalloc,
    int parkedRuns,
    int[][] pagesets,
    long[] lruPages,
    long writePendingPages) {

  /** Returns wmark_pages(level): the watermark plus the boost, as /proc/zoneinfo prints it. */
  public long wmark(int level) {
    return watermarks[level] + watermarkBoost;
  }

  /** Returns the pages on all CPUs' per-cpu lists. */
  public long pcpPages() {
    long n = 0;
    for (int[] p : pagesets) {
      n += p[0];
    }
    return n;
  }

  /** Returns the free pages in buddy blocks (NR_FREE_PAGES without parked chunks). */
  public long buddyFreePages() {
    long n = 0;
    for (int o = 0; o < nrFree.length; o++) {
      n += nrFree[o] << o;
    }
    return n;
  }
}
