package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models compaction's free scanner of mm/compaction.c: {@code isolate_freepages()} walks the zone
 * down from where it last stopped, pageblock by pageblock, to the migrate scanner, isolating the
 * free buddy blocks of movable pageblocks ({@code isolate_freepages_block()}, {@code
 * __isolate_free_page()}) until there are as many free pages as pages to migrate; async compaction
 * strides over a pageblock 32 pages at a time until it finds something. {@code
 * fast_isolate_freepages()} first looks on the MOVABLE free lists, from their tails, for a block in
 * the upper quarter of the search space. {@code compaction_alloc()} hands the isolated pages to
 * migration; {@code release_freepages()} frees what is left when compaction ends.
 *
 * <p>What the scanner sees at a pfn: the head of a free buddy block (isolated whole), the head of a
 * compound allocation (skipped by its order), or anything else (stepped over by the stride). Parked
 * (unaccepted) pageblocks hold no buddy page and are stepped over whole.
 */
final class FreeScanner {

  private static final int PB = Sizes.PAGEBLOCK_NR_PAGES;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int NIL = FreeAreas.NIL;

  private final PageAllocator a;
  private final Compaction compaction;

  FreeScanner(PageAllocator a, Compaction compaction) {
    this.a = a;
    this.compaction = compaction;
  }

  /**
   * Models {@code compaction_alloc()}: a free block of {@code order} for a migrating folio, from
   * the isolated pages, isolating more once if there are none; -1 if none can be had.
   */
  long compactionAlloc(CompactControl cc, int order) {
    if (!cc.freepages.has(order)) {
      isolateFreepages(cc);
      if (!cc.freepages.has(order)) {
        return -1;
      }
    }
    return cc.freepages.take(order);
  }

  /**
   * Models {@code release_freepages()} / {@code release_free_list()}: frees every isolated page
   * left (to the per-cpu lists of the compacting CPU where their order allows); returns the highest
   * pfn freed.
   */
  long releaseFreepages(CompactControl cc) {
    long[] high = {0};
    cc.freepages.drain(
        (pfn, order, unused) -> {
          a.freeBlock(cc.cpu, cc.zone, pfn, order);
          high[0] = Math.max(high[0], pfn);
        });
    return high[0];
  }

  /** Models {@code isolate_freepages()}. */
  void isolateFreepages(CompactControl cc) {
    fastIsolateFreepages(cc);
    if (cc.nrFreepages() > 0) {
      cc.freepages.splitMap();
      return;
    }
    Zone z = cc.zone;
    long zoneEnd = Compaction.zoneEnd(z);
    long[] isolateStart = {cc.freePfn};
    long blockStart = Compaction.pageblockStart(isolateStart[0]);
    long blockEnd = Math.min(blockStart + PB, zoneEnd);
    long lowPfn = Compaction.pageblockEnd(cc.migratePfn);
    int stride = cc.mode == MigrateMode.ASYNC ? CompactControl.CLUSTER_MAX : 1;
    for (;
        blockStart >= lowPfn;
        blockEnd = blockStart, blockStart -= PB, isolateStart[0] = blockStart) {
      if (!Compaction.pageblockInZone(z, blockStart, blockEnd)) {
        continue;
      }
      if (!suitableMigrationTarget(cc, blockStart)) {
        continue;
      }
      if (!compaction.isolationSuitable(cc, blockStart)) {
        continue;
      }
      long nrIsolated = isolateFreepagesBlock(cc, isolateStart, blockEnd, stride);
      if (isolateStart[0] == blockEnd) {
        compaction.updatePageblockSkip(cc, blockStart, blockStart - PB);
      }
      if (cc.nrFreepages() >= cc.nrMigratepages) {
        if (isolateStart[0] >= blockEnd) {
          isolateStart[0] = blockStart - PB;
        }
        break;
      } else if (isolateStart[0] < blockEnd) {
        break;
      }
      if (nrIsolated > 0) {
        stride = 1;
        continue;
      }
      stride = Math.min(CompactControl.CLUSTER_MAX, stride << 1);
    }
    cc.freePfn = isolateStart[0];
    cc.freepages.splitMap();
  }

  /** Models {@code suitable_migration_target()}. */
  private boolean suitableMigrationTarget(CompactControl cc, long pfn) {
    int n = a.buddy.free.find(pfn);
    if (n != NIL && a.buddy.free.order(n) >= Sizes.PAGEBLOCK_ORDER) {
      return false;
    }
    if (cc.ignoreBlockSuitable) {
      return true;
    }
    int mt = a.pageblocks.get(pfn);
    return mt == MOVABLE || mt == MigrateType.CMA.ordinal();
  }

  /**
   * Models {@code isolate_freepages_block()} (not strict) over {@code [start[0], endPfn)} with
   * {@code stride}: isolates free blocks until there are enough; {@code start[0]} is left where the
   * scan stopped. Returns the pages isolated.
   */
  long isolateFreepagesBlock(CompactControl cc, long[] start, long endPfn, int stride) {
    Zone z = cc.zone;
    long nrScanned = 0;
    long totalIsolated = 0;
    long blockPfn = start[0];
    if (a.isParkedPageblock(z, blockPfn)) {
      nrScanned = (endPfn - blockPfn + stride - 1) / stride;
      blockPfn = endPfn;
    }
    for (; blockPfn < endPfn; blockPfn += stride) {
      nrScanned++;
      int info = a.live.info(blockPfn);
      if (info >= 0 && LiveAllocations.isCompound(info)) {
        int order = LiveAllocations.order(info);
        blockPfn += (1L << order) - 1;
        nrScanned += (1L << order) - 1;
        continue;
      }
      int n = a.buddy.free.find(blockPfn);
      if (n == NIL || a.buddy.free.zone(n) != z.idx) {
        continue;
      }
      int order = a.buddy.free.order(n);
      long isolated = a.buddy.isolateFreePage(z, n, a.check);
      if (isolated == 0) {
        break;
      }
      cc.freepages.add(blockPfn, order);
      nrScanned += isolated - 1;
      totalIsolated += isolated;
      if (cc.nrMigratepages <= cc.nrFreepages()) {
        blockPfn += isolated;
        break;
      }
      blockPfn += isolated - 1;
    }
    if (blockPfn > endPfn) {
      blockPfn = endPfn;
    }
    a.vmstat.compaction(CompactionEvent.ISOLATE_FREEPAGES);
    start[0] = blockPfn;
    cc.totalFreeScanned += nrScanned;
    a.vmstat.compactIsolated += totalIsolated;
    return totalIsolated;
  }

  /**
   * Models {@code fast_isolate_freepages()}: searches the MOVABLE free lists below the requested
   * order, from their tails, for a block in the upper quarter of the space between the scanners (or
   * the upper half), isolates it and, outside async direct compaction, the rest of its pageblock
   * ({@code fast_isolate_around()}).
   */
  private void fastIsolateFreepages(CompactControl cc) {
    if (cc.order <= 0) {
      return;
    }
    Zone z = cc.zone;
    ZoneCompaction zc = z.compaction;
    FreeAreas free = a.buddy.free;
    int limit = Math.max(1, MigrateScanner.freelistScanLimit(cc) >> 1);
    long nrScanned = 0;
    long totalIsolated = 0;
    long highest = 0;
    boolean scanStart = false;
    if (cc.freePfn >= zc.initFreePfn) {
      limit = PB >> 1;
      scanStart = true;
    }
    long distance = cc.freePfn - cc.migratePfn;
    long lowPfn = Compaction.pageblockStart(cc.freePfn - (distance >> 2));
    long minPfn = Compaction.pageblockStart(cc.freePfn - (distance >> 1));
    if (minPfn > lowPfn) {
      lowPfn = minPfn;
    }
    cc.searchOrder = Math.min(cc.order - 1, cc.searchOrder);
    long page = -1;
    for (int order = cc.searchOrder; page < 0 && order >= 0; order = nextSearchOrder(cc, order)) {
      if (free.nrFree(z.idx, order) == 0) {
        continue;
      }
      int orderScanned = 0;
      long highPfn = 0;
      int freepage = NIL;
      int candidate = NIL;
      for (int n = free.last(z.idx, order, MOVABLE); n != NIL; n = free.prev(n)) {
        orderScanned++;
        nrScanned++;
        long pfn = free.pfn(n);
        freepage = n;
        if (pfn >= highest) {
          highest = Math.max(Compaction.pageblockStart(pfn), z.startPfn);
        }
        if (pfn >= lowPfn) {
          cc.fastSearchFail = 0;
          cc.searchOrder = order;
          page = pfn;
          candidate = n;
          break;
        }
        if (pfn >= minPfn && pfn > highPfn) {
          highPfn = pfn;
          candidate = n;
          limit >>= 1;
        }
        if (orderScanned >= limit) {
          break;
        }
        freepage = NIL;
      }
      if (page < 0 && highPfn != 0) {
        page = highPfn;
        freepage = candidate;
      }
      if (freepage != NIL) {
        free.rotateToHead(freepage);
      }
      if (page >= 0) {
        int n = free.find(page);
        long isolated = a.buddy.isolateFreePage(z, n, a.check);
        if (isolated > 0) {
          cc.freepages.add(page, order);
          nrScanned += isolated - 1;
          totalIsolated += isolated;
          a.vmstat.compactIsolated += isolated;
        } else {
          order = cc.searchOrder + 1;
          page = -1;
        }
      }
      if (cc.nrFreepages() >= cc.nrMigratepages) {
        break;
      }
      if (orderScanned >= limit) {
        limit = Math.max(1, limit >> 1);
      }
    }
    a.vmstat.compaction(CompactionEvent.FAST_ISOLATE_FREEPAGES);
    long around = page;
    if (page < 0) {
      cc.fastSearchFail++;
      if (scanStart) {
        if (highest >= minPfn) {
          around = highest;
          cc.freePfn = highest;
        } else if (cc.directCompaction && z.spans(minPfn)) {
          if (Compaction.pageblockInZone(
              z, minPfn, Math.min(Compaction.pageblockEnd(minPfn), Compaction.zoneEnd(z)))) {
            around = minPfn;
          }
          cc.freePfn = minPfn;
        }
      }
    }
    if (highest != 0 && highest >= zc.cachedFreePfn) {
      highest -= PB;
      zc.cachedFreePfn = highest;
    }
    cc.totalFreeScanned += nrScanned;
    if (around < 0) {
      return;
    }
    fastIsolateAround(cc, around);
  }

  /** Models {@code next_search_order()}: orders searched round-robin; -1 once wrapped around. */
  private static int nextSearchOrder(CompactControl cc, int order) {
    order--;
    if (order < 0) {
      order = cc.order - 1;
    }
    if (order == cc.searchOrder) {
      cc.searchOrder--;
      if (cc.searchOrder < 0) {
        cc.searchOrder = cc.order - 1;
      }
      return -1;
    }
    return order;
  }

  /** Models {@code fast_isolate_around()}: the rest of the pageblock of {@code pfn}, stride 1. */
  private void fastIsolateAround(CompactControl cc, long pfn) {
    if (cc.nrFreepages() >= cc.nrMigratepages) {
      return;
    }
    if (cc.directCompaction && cc.mode == MigrateMode.ASYNC) {
      return;
    }
    Zone z = cc.zone;
    long start = Math.max(Compaction.pageblockStart(pfn), z.startPfn);
    long end = Math.min(Compaction.pageblockEnd(pfn), Compaction.zoneEnd(z));
    if (!Compaction.pageblockInZone(z, start, end)) {
      return;
    }
    long[] s = {start};
    isolateFreepagesBlock(cc, s, end, 1);
    if (s[0] == end) {
      a.skip.set(start);
    }
  }
}
