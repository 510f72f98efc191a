package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models compaction's migrate scanner of mm/compaction.c: {@code isolate_migratepages()} walks the
 * zone up from where it last stopped, pageblock by pageblock, skipping pageblocks marked skip or
 * (for async direct compaction) not of the request's migrate type, and {@code
 * isolate_migratepages_block()} isolates the movable (LRU) allocations of the first suitable one,
 * at most {@code COMPACT_CLUSTER_MAX} pages at a time; for costly orders {@code
 * fast_find_migrateblock()} first looks on the free lists for a movable pageblock low in the zone
 * that already has some free pages.
 *
 * <p>What the scanner sees at a pfn: the head of a free buddy block (skipped by its order), the
 * head of an allocation (an LRU page if movable; a compound page — __GFP_COMP, or a movable block
 * above order 0, a large folio — is skipped by its order unless the kernel migrates folios that
 * size, {@link KernelRules#migratesFolio}), or nothing the simulator tracks (pages on per-cpu
 * lists, tail pages, reserved or unaccepted memory), which the kernel sees as a non-LRU page and
 * steps over one page at a time. Parked (unaccepted) pageblocks are stepped over whole, counted as
 * the 512 pages the kernel scans there.
 */
final class MigrateScanner {

  private static final int PB = Sizes.PAGEBLOCK_NR_PAGES;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int NIL = FreeAreas.NIL;

  private final PageAllocator a;
  private final Compaction compaction;

  MigrateScanner(PageAllocator a, Compaction compaction) {
    this.a = a;
    this.compaction = compaction;
  }

  /**
   * Models {@code isolate_migratepages()}: isolates the movable pages of the first suitable
   * pageblock from {@code cc.migratePfn} on, not crossing the free scanner. Returns whether any
   * page was isolated (ISOLATE_SUCCESS; never ISOLATE_ABORT here).
   */
  boolean isolateMigratepages(CompactControl cc) {
    Zone z = cc.zone;
    long lowPfn = fastFindMigrateblock(cc);
    long blockStart = Math.max(Compaction.pageblockStart(lowPfn), z.startPfn);
    boolean fastFindBlock = lowPfn != cc.migratePfn && cc.fastSearchFail == 0;
    long blockEnd = Compaction.pageblockEnd(lowPfn);
    for (;
        blockEnd <= cc.freePfn;
        fastFindBlock = false, cc.migratePfn = lowPfn = blockEnd, blockStart = blockEnd,
            blockEnd += PB) {
      if (!Compaction.pageblockInZone(z, blockStart, blockEnd)) {
        continue;
      }
      if (((lowPfn & (PB - 1)) == 0 || lowPfn == z.startPfn)
          && !fastFindBlock
          && !compaction.isolationSuitable(cc, blockStart)) {
        continue;
      }
      if (!suitableMigrationSource(cc, blockStart)) {
        compaction.updateCachedMigrate(cc, blockEnd);
        continue;
      }
      isolateMigratepagesBlock(cc, lowPfn, blockEnd);
      break;
    }
    return cc.nrMigratepages > 0;
  }

  /** Models {@code suitable_migration_source()}. */
  private boolean suitableMigrationSource(CompactControl cc, long pfn) {
    if (compaction.pageblockSkipPersistent(pfn)) {
      return false;
    }
    if (cc.mode != MigrateMode.ASYNC || !cc.directCompaction) {
      return true;
    }
    int blockMt = a.pageblocks.get(pfn);
    if (cc.migratetype == MOVABLE) {
      return blockMt == MOVABLE || blockMt == MigrateType.CMA.ordinal();
    }
    return blockMt == cc.migratetype;
  }

  /** Models {@code isolate_migratepages_block()} over {@code [lowPfn, endPfn)}, one pageblock. */
  void isolateMigratepagesBlock(CompactControl cc, long lowPfn, long endPfn) {
    Zone z = cc.zone;
    long nrScanned = 0;
    long nrIsolated = 0;
    boolean skipOnFailure = false;
    long nextSkipPfn = 0;
    boolean skipUpdated = false;
    boolean validPage = false;
    cc.migratePfn = lowPfn;
    if (cc.directCompaction && cc.mode == MigrateMode.ASYNC) {
      skipOnFailure = true;
      nextSkipPfn = blockEndPfn(lowPfn, cc.order);
    }
    boolean aborted = false;
    if (a.isParkedPageblock(z, lowPfn)) {
      // unaccepted memory: no buddy and no LRU page in the whole pageblock
      boolean first = (lowPfn & (PB - 1)) == 0 || lowPfn == z.startPfn;
      if (first && !compaction.isolationSuitable(cc, lowPfn)) {
        nrScanned = 1;
        aborted = true;
      } else {
        validPage = first;
        nrScanned =
            skipOnFailure
                ? Math.max(1, (endPfn - lowPfn + (1L << cc.order) - 1) >> cc.order)
                : endPfn - lowPfn;
      }
      lowPfn = endPfn;
    }
    for (; lowPfn < endPfn; lowPfn++) {
      if (skipOnFailure && lowPfn >= nextSkipPfn) {
        if (nrIsolated > 0) {
          break;
        }
        nextSkipPfn = blockEndPfn(lowPfn, cc.order);
      }
      nrScanned++;
      if (!validPage && ((lowPfn & (PB - 1)) == 0 || lowPfn == z.startPfn)) {
        if (!compaction.isolationSuitable(cc, lowPfn)) {
          lowPfn = endPfn;
          aborted = true;
          break;
        }
        validPage = true;
      }
      int n = a.buddy.free.find(lowPfn);
      if (n != NIL && a.buddy.free.zone(n) == z.idx) {
        int freeOrder = a.buddy.free.order(n);
        if (freeOrder > 0) {
          lowPfn += (1L << freeOrder) - 1;
          nrScanned += (1L << freeOrder) - 1;
        }
        continue;
      }
      int info = a.live.info(lowPfn);
      boolean isolated = false;
      if (info >= 0) {
        int order = LiveAllocations.order(info);
        boolean lru = LiveAllocations.isLru(info);
        boolean folio = LiveAllocations.isCompound(info) || (lru && order > 0);
        if (folio && !a.rules.migratesFolio(order, cc.order)) {
          lowPfn += (1L << order) - 1;
          nrScanned += (1L << order) - 1;
        } else if (lru) {
          boolean fromBlockStart = a.rules.skipHintFromBlockStart();
          if (!skipUpdated && (validPage || !fromBlockStart)) {
            skipUpdated = true;
            if (fromBlockStart) {
              if (compaction.testAndSetSkip(cc, lowPfn) && !cc.finishPageblock) {
                lowPfn = endPfn;
                aborted = true;
                break;
              }
            } else if ((lowPfn & (PB - 1)) == 0 && compaction.testAndSetSkip(cc, lowPfn)) {
              // v6.1: only a first candidate at the pageblock's first pfn tests the hint
              aborted = true;
              break;
            }
          }
          long head = lowPfn;
          long pages = 1L << order;
          lowPfn += pages - 1;
          cc.isolate(head, (int) pages);
          nrIsolated += pages;
          nrScanned += pages - 1;
          isolated = true;
          if (cc.nrMigratepages >= CompactControl.CLUSTER_MAX && !cc.finishPageblock) {
            ++lowPfn;
            break;
          }
        }
      }
      if (isolated || !skipOnFailure) {
        continue;
      }
      // isolate_fail with skip_on_failure: give up this order-aligned block
      if (nrIsolated > 0) {
        cc.putback();
        nrIsolated = 0;
      }
      if (lowPfn < nextSkipPfn) {
        lowPfn = nextSkipPfn - 1;
        nextSkipPfn += 1L << cc.order;
      }
    }
    if (!aborted && lowPfn > endPfn) {
      lowPfn = endPfn;
    }
    if (lowPfn == endPfn && (nrIsolated == 0 || cc.finishPageblock)) {
      if (validPage && !skipUpdated) {
        a.skip.set(Compaction.pageblockStart(endPfn - 1));
      }
      compaction.updateCachedMigrate(cc, lowPfn);
    }
    a.vmstat.compaction(CompactionEvent.ISOLATE_MIGRATEPAGES);
    cc.totalMigrateScanned += nrScanned;
    a.vmstat.compactIsolated += nrIsolated;
    cc.migratePfn = lowPfn;
  }

  /**
   * Models {@code fast_find_migrateblock()}: for a costly order, picks a movable pageblock in the
   * lower part of the search space that already has free pages (walking the MOVABLE free lists
   * below the requested order), instead of the next pageblock in line.
   */
  private long fastFindMigrateblock(CompactControl cc) {
    Zone z = cc.zone;
    long pfn = cc.migratePfn;
    if (cc.ignoreSkipHint || cc.finishPageblock) {
      return pfn;
    }
    if (pfn != z.startPfn && pfn != Compaction.pageblockStart(pfn)) {
      return pfn;
    }
    if (cc.order <= Compaction.COSTLY_ORDER) {
      return pfn;
    }
    if (cc.directCompaction && cc.migratetype != MOVABLE) {
      return pfn;
    }
    int limit = freelistScanLimit(cc);
    int nrScanned = 0;
    long distance = (cc.freePfn - cc.migratePfn) >> 1;
    if (cc.migratePfn != z.startPfn) {
      distance >>= 2;
    }
    long highPfn = Compaction.pageblockStart(cc.migratePfn + distance);
    FreeAreas free = a.buddy.free;
    boolean found = false;
    for (int order = cc.order - 1;
        order >= Compaction.COSTLY_ORDER && !found && nrScanned < limit;
        order--) {
      if (free.nrFree(z.idx, order) == 0) {
        continue;
      }
      for (int n = free.first(z.idx, order, MOVABLE); n != NIL; ) {
        int next = free.next(n);
        if (nrScanned++ >= limit) {
          free.rotateToTail(n);
          break;
        }
        long freePfn = free.pfn(n);
        if (freePfn < highPfn) {
          if (a.skip.get(freePfn)) {
            n = next;
            continue;
          }
          free.rotateToTail(n);
          updateFastStartPfn(cc, freePfn);
          pfn = Math.max(Compaction.pageblockStart(freePfn), z.startPfn);
          cc.fastSearchFail = 0;
          found = true;
          break;
        }
        n = next;
      }
    }
    cc.totalMigrateScanned += nrScanned;
    if (!found) {
      cc.fastSearchFail++;
      pfn = reinitMigratePfn(cc);
    }
    return pfn;
  }

  /** Models {@code freelist_scan_limit()}. */
  static int freelistScanLimit(CompactControl cc) {
    int shift = Math.min(63, cc.fastSearchFail);
    return (CompactControl.CLUSTER_MAX >> Math.min(shift, 31)) + 1;
  }

  private static void updateFastStartPfn(CompactControl cc, long pfn) {
    if (cc.fastStartPfn == -1) {
      return;
    }
    if (cc.fastStartPfn == 0) {
      cc.fastStartPfn = pfn;
    }
    cc.fastStartPfn = Math.min(cc.fastStartPfn, pfn);
  }

  private static long reinitMigratePfn(CompactControl cc) {
    if (cc.fastStartPfn == 0 || cc.fastStartPfn == -1) {
      return cc.migratePfn;
    }
    cc.migratePfn = cc.fastStartPfn;
    cc.fastStartPfn = -1;
    return cc.migratePfn;
  }

  /** Models {@code block_end_pfn(pfn, order)}: ALIGN(pfn + 1, 1 << order). */
  private static long blockEndPfn(long pfn, int order) {
    long size = order < 0 ? 1 : 1L << order;
    return (pfn + size) & -size;
  }
}
