package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.Fragmentation;

/**
 * Models the driver of memory compaction in mm/compaction.c: {@code compact_zone()}, which runs a
 * migrate scanner up from the zone's start ({@link MigrateScanner}) and a free scanner down from
 * its end ({@link FreeScanner}), moving the movable allocations the first isolates into the free
 * pages the second isolates ({@link Migration}) until the scanners meet or {@code
 * compact_finished()} sees a free block of the wanted order; whether a zone is worth compacting
 * ({@code compaction_suitable()}, with the fragmentation index against vm.extfrag_threshold); the
 * skip hints and cached scanner positions that keep repeated passes incremental; the fragmentation
 * score of proactive compaction; and {@code compact_node()} behind /proc/sys/vm/compact_memory.
 *
 * <p>Implementation notes. The algorithm is v6.7's (the stored torvalds/linux mm/compaction.c at
 * 0003e2a4), which v6.1 and v6.12 share where the simulator can tell; the differences it can tell
 * are {@link KernelRules} methods: which folios migrate ({@code skip_isolation_on_order()}, v6.9),
 * when the migrate scanner marks a pageblock skipped (v6.5), how isolated free pages are kept
 * ({@link CompactionFreepages}, v6.9) and whether proactive compaction counts as kcompactd's
 * scanning (v6.3). Migration never fails here: every movable allocation is an LRU page that is
 * neither pinned, dirty nor under writeback, so the kernels' handling of failed migrations is not
 * exercised. There is no lock contention and no fatal signal, so nothing ends COMPACT_CONTENDED but
 * running out of free pages to migrate to.
 *
 * <p>Cost: the scanners step over free blocks and allocations by their order and over parked
 * (unaccepted) pageblocks whole, so a pass costs what the zone's accepted memory holds, not its
 * size. Not thread safe: runs under the VM lock.
 */
final class Compaction {

  /** PAGE_ALLOC_COSTLY_ORDER. */
  static final int COSTLY_ORDER = 3;

  /** COMPACTION_HPAGE_ORDER (HPAGE_PMD_ORDER with THP): the order proactive compaction scores. */
  static final int HPAGE_ORDER = Sizes.PAGEBLOCK_ORDER;

  private static final int PB = Sizes.PAGEBLOCK_NR_PAGES;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

  /** gfp_migratetype(GFP_KERNEL), the mask of kcompactd, proactive compaction, compact_memory. */
  private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();

  private final PageAllocator a;
  final MigrateScanner migrateScanner;
  final FreeScanner freeScanner;
  private final Migration migration;

  Compaction(PageAllocator a) {
    this.a = a;
    this.migrateScanner = new MigrateScanner(a, this);
    this.freeScanner = new FreeScanner(a, this);
    this.migration = new Migration(a, freeScanner);
  }

  // ------------------------------------------------------------------ compact_zone

  /** Models {@code compact_zone()}: one compaction run of {@code cc.zone}. */
  CompactResult compactZone(CompactControl cc) {
    Zone z = cc.zone;
    ZoneCompaction zc = z.compaction;
    long startPfn = z.startPfn;
    long endPfn = zoneEnd(z);
    boolean sync = cc.mode != MigrateMode.ASYNC;
    if (!cc.wholeZonePass()) {
      long mark = z.wmark(cc.allocFlags & AllocFlags.WMARK_MASK);
      if (a.check.ok(z, cc.order, mark, cc.highestZoneIdx, cc.allocFlags, z.nrFreePages)) {
        return CompactResult.SUCCESS;
      }
      if (!suitable(z, cc.order, cc.highestZoneIdx)) {
        return CompactResult.SKIPPED;
      }
    }
    if (CompactionDefer.restarting(z, cc.order)) {
      resetIsolationSuitable(z);
    }
    cc.fastStartPfn = 0;
    if (cc.wholeZone) {
      cc.migratePfn = startPfn;
      cc.freePfn = pageblockStart(endPfn - 1);
    } else {
      cc.migratePfn = zc.cachedMigratePfn[sync ? 1 : 0];
      cc.freePfn = zc.cachedFreePfn;
      if (cc.freePfn < startPfn || cc.freePfn >= endPfn) {
        cc.freePfn = pageblockStart(endPfn - 1);
        zc.cachedFreePfn = cc.freePfn;
      }
      if (cc.migratePfn < startPfn || cc.migratePfn >= endPfn) {
        cc.migratePfn = startPfn;
        zc.cachedMigratePfn[0] = cc.migratePfn;
        zc.cachedMigratePfn[1] = cc.migratePfn;
      }
      if (cc.migratePfn <= zc.initMigratePfn) {
        cc.wholeZone = true;
      }
    }
    long lastMigratedPfn = 0;
    boolean updateCached = !sync && zc.cachedMigratePfn[0] == zc.cachedMigratePfn[1];
    a.vmstat.compaction(CompactionEvent.BEGIN);
    CompactResult ret;
    loop:
    while ((ret = compactFinished(cc)) == CompactResult.CONTINUE) {
      long iterationStart = cc.migratePfn;
      cc.finishPageblock = pageblockStart(lastMigratedPfn) == pageblockStart(iterationStart);
      if (migrateScanner.isolateMigratepages(cc)) {
        updateCached = false;
        lastMigratedPfn = Math.max(startPfn, pageblockStart(cc.migratePfn - 1));
        boolean outOfTargets = !migration.migratePages(cc);
        a.vmstat.compaction(CompactionEvent.MIGRATEPAGES);
        cc.putback();
        if (outOfTargets && !scannersMet(cc)) {
          ret = CompactResult.CONTENDED;
          break loop;
        }
        if (cc.capturedPfn >= 0) {
          ret = CompactResult.SUCCESS;
          break loop;
        }
      } else if (updateCached) {
        zc.cachedMigratePfn[1] = zc.cachedMigratePfn[0];
      }
      // check_drain: flush the freed pages of the order-aligned block we migrated from
      if (cc.order > 0 && lastMigratedPfn != 0) {
        long currentBlockStart = cc.migratePfn & -(1L << cc.order);
        if (lastMigratedPfn < currentBlockStart) {
          a.pcp.drainZone(cc.cpu, z);
          lastMigratedPfn = 0;
        }
      }
    }
    if (cc.nrFreepages() > 0) {
      long freePfn = freeScanner.releaseFreepages(cc);
      freePfn = pageblockStart(freePfn);
      if (freePfn > zc.cachedFreePfn) {
        zc.cachedFreePfn = freePfn;
      }
    }
    a.vmstat.compactMigrateScanned += cc.totalMigrateScanned;
    a.vmstat.compactFreeScanned += cc.totalFreeScanned;
    a.vmstat.compaction(CompactionEvent.END);
    return ret;
  }

  /** Models {@code compact_finished()} (with {@code __compact_finished()}). */
  private CompactResult compactFinished(CompactControl cc) {
    CompactResult ret = compactFinishedInner(cc);
    a.vmstat.compaction(CompactionEvent.FINISHED);
    return ret == CompactResult.NO_SUITABLE_PAGE ? CompactResult.CONTINUE : ret;
  }

  private CompactResult compactFinishedInner(CompactControl cc) {
    Zone z = cc.zone;
    if (scannersMet(cc)) {
      resetCachedPositions(z);
      if (cc.directCompaction) {
        z.compaction.blockskipFlush = true;
      }
      return cc.wholeZone ? CompactResult.COMPLETE : CompactResult.PARTIAL_SKIPPED;
    }
    if (cc.proactiveCompaction) {
      int score = fragmentationScoreZone(z);
      return score > fragmentationScoreWmark(true) ? CompactResult.CONTINUE : CompactResult.SUCCESS;
    }
    if (cc.wholeZonePass()) {
      return CompactResult.CONTINUE;
    }
    // always finish scanning a pageblock to reduce the possibility of fallbacks in the future
    if ((cc.migratePfn & (PB - 1)) != 0) {
      return CompactResult.CONTINUE;
    }
    FreeAreas free = a.buddy.free;
    for (int o = cc.order; o <= Sizes.MAX_ORDER; o++) {
      if (!free.isEmpty(z.idx, o, cc.migratetype)) {
        return CompactResult.SUCCESS;
      }
      // the allocation would steal from another type's lists (find_suitable_fallback(..., true))
      if (Buddy.canClaim(o, cc.migratetype) && a.buddy.findFallback(z, o, cc.migratetype) >= 0) {
        return CompactResult.SUCCESS;
      }
    }
    return CompactResult.NO_SUITABLE_PAGE;
  }

  /**
   * Models {@code compact_scanners_met()}: the free scanner reached the migrate scanner's block.
   */
  static boolean scannersMet(CompactControl cc) {
    return (cc.freePfn >> Sizes.PAGEBLOCK_ORDER) <= (cc.migratePfn >> Sizes.PAGEBLOCK_ORDER);
  }

  // ------------------------------------------------------------------ suitability

  /**
   * Models {@code compaction_suitable()}: whether compacting {@code z} for {@code order} can work
   * (enough free pages to migrate into) and is worth it (for costly orders, the fragmentation index
   * above vm.extfrag_threshold: the failure is due to fragmentation, not lack of memory).
   */
  boolean suitable(Zone z, int order, int highestZoneIdx) {
    boolean suitable = watermarkSuitable(z, order, highestZoneIdx, z.nrFreePages);
    if (suitable && order > COSTLY_ORDER) {
      int fragindex = fragmentationIndex(z, order);
      if (fragindex >= 0 && fragindex <= a.sysctls.extfragThreshold) {
        suitable = false;
      }
    }
    a.vmstat.compaction(CompactionEvent.SUITABLE);
    return suitable;
  }

  /**
   * Models {@code __compaction_suitable()}: order-0 pages above the low (costly orders) or min
   * watermark plus {@code compact_gap(order)}, twice the request, so the free scanner has migration
   * targets; checked with ALLOC_CMA against {@code wmarkTarget} free pages.
   */
  boolean watermarkSuitable(Zone z, int order, int highestZoneIdx, long wmarkTarget) {
    long mark =
        (order > COSTLY_ORDER ? z.wmark(AllocFlags.WMARK_LOW) : z.wmark(AllocFlags.WMARK_MIN))
            + (2L << order);
    return a.check.ok(z, 0, mark, highestZoneIdx, AllocFlags.CMA, wmarkTarget);
  }

  /** Models {@code fragmentation_index()} (mm/vmstat.c) of a zone's buddy lists. */
  int fragmentationIndex(Zone z, int order) {
    return Fragmentation.fragmentationIndex(nrFree(z), order);
  }

  private long[] nrFree(Zone z) {
    long[] nr = new long[Sizes.NR_ORDERS];
    for (int o = 0; o < nr.length; o++) {
      nr[o] = a.buddy.free.nrFree(z.idx, o);
    }
    return nr;
  }

  // ------------------------------------------------------------------ skip hints

  /** Models {@code isolation_suitable()}: the pageblock of {@code pfn} is not marked skip. */
  boolean isolationSuitable(CompactControl cc, long pfn) {
    return cc.ignoreSkipHint || !a.skip.get(pfn);
  }

  /** Models {@code test_and_set_skip()}: sets the hint; returns whether it was set already. */
  boolean testAndSetSkip(CompactControl cc, long pfn) {
    if (cc.ignoreSkipHint) {
      return false;
    }
    boolean skip = a.skip.get(pfn);
    if (!skip) {
      a.skip.set(pfn);
    }
    return skip;
  }

  /** Models {@code update_cached_migrate()}: where async and sync compaction should restart. */
  void updateCachedMigrate(CompactControl cc, long pfn) {
    ZoneCompaction zc = cc.zone.compaction;
    pfn = pageblockEnd(pfn);
    if (pfn > zc.cachedMigratePfn[0]) {
      zc.cachedMigratePfn[0] = pfn;
    }
    if (cc.mode != MigrateMode.ASYNC && pfn > zc.cachedMigratePfn[1]) {
      zc.cachedMigratePfn[1] = pfn;
    }
  }

  /**
   * Models {@code update_pageblock_skip()}: marks the pageblock of {@code pfn} skipped after the
   * free scanner found nothing there, and lowers the cached free pfn to {@code cachedFree}.
   */
  void updatePageblockSkip(CompactControl cc, long pfn, long cachedFree) {
    a.skip.set(pfn);
    if (cachedFree < cc.zone.compaction.cachedFreePfn) {
      cc.zone.compaction.cachedFreePfn = cachedFree;
    }
  }

  /** Models {@code reset_cached_positions()}: the next compaction starts anew. */
  static void resetCachedPositions(Zone z) {
    ZoneCompaction zc = z.compaction;
    zc.cachedMigratePfn[0] = z.startPfn;
    zc.cachedMigratePfn[1] = z.startPfn;
    zc.cachedFreePfn = pageblockStart(zoneEnd(z) - 1);
  }

  /**
   * Models {@code __reset_isolation_suitable()} (kswapd calls it for every zone through {@code
   * reset_isolation_suitable()} before it sleeps; compaction when restarting after the longest
   * deferral): if a full direct compaction finished since the last flush, walks the zone's
   * pageblocks from both ends, clearing the skip hint of those that may again be a migration source
   * (an LRU page every 8 pages, sampled) or target (a free buddy head), and sets the scanners'
   * start points at the first source and the last target found.
   *
   * <p>Implementation notes. The kernel visits every pageblock; here the walk from each end runs
   * only until its first source (target) is found, after which only pageblocks whose hint is set
   * can change, and only those are visited: the outcome is the kernel's at a cost following the
   * skipped pageblocks.
   */
  void resetIsolationSuitable(Zone z) {
    ZoneCompaction zc = z.compaction;
    if (!zc.blockskipFlush) {
      return;
    }
    zc.blockskipFlush = false;
    long migratePfn = z.startPfn;
    long freePfn = zoneEnd(z) - 1;
    long resetMigrate = freePfn;
    long resetFree = migratePfn;
    boolean sourceSet = false;
    boolean freeSet = false;
    while (migratePfn < freePfn && (!sourceSet || !freeSet)) {
      if (!sourceSet && resetIsolationPfn(z, migratePfn, true, false)) {
        sourceSet = true;
        resetMigrate = migratePfn;
        zc.initMigratePfn = resetMigrate;
        zc.cachedMigratePfn[0] = resetMigrate;
        zc.cachedMigratePfn[1] = resetMigrate;
      } else if (sourceSet && a.skip.get(migratePfn)) {
        resetIsolationPfn(z, migratePfn, true, true);
      }
      if (!freeSet && resetIsolationPfn(z, freePfn, false, true)) {
        freeSet = true;
        resetFree = freePfn;
        zc.initFreePfn = resetFree;
        zc.cachedFreePfn = resetFree;
      } else if (freeSet && a.skip.get(freePfn)) {
        resetIsolationPfn(z, freePfn, true, true);
      }
      migratePfn += PB;
      freePfn -= PB;
    }
    // the rest of the walk: with both sides set, only hinted pageblocks can change
    for (long p = a.skip.nextSet(migratePfn, freePfn + 1);
        p >= 0 && p <= freePfn;
        p = a.skip.nextSet(p + PB, freePfn + 1)) {
      resetIsolationPfn(z, Math.max(p, z.startPfn), true, true);
    }
    if (resetMigrate >= resetFree) {
      zc.cachedMigratePfn[0] = migratePfn;
      zc.cachedMigratePfn[1] = migratePfn;
      zc.cachedFreePfn = freePfn;
    }
  }

  /** Models {@code __reset_isolation_pfn()}. */
  private boolean resetIsolationPfn(Zone z, long pfn, boolean checkSource, boolean checkTarget) {
    if (!z.spans(pfn) || pageblockSkipPersistent(pfn)) {
      return false;
    }
    if (checkSource && checkTarget && !a.skip.get(pfn)) {
      return true;
    }
    if (!checkSource && checkTarget && a.pageblocks.get(pfn) != MOVABLE) {
      return false;
    }
    long start = Math.max(pageblockStart(pfn), z.startPfn);
    long end = Math.min(pageblockEnd(pfn) - 1, zoneEnd(z) - 1);
    for (long p = start; p <= end; p += 1 << COSTLY_ORDER) {
      if (checkSource) {
        int info = a.live.info(p);
        if (info >= 0 && LiveAllocations.isLru(info)) {
          a.skip.clear(pfn);
          return true;
        }
      }
      if (checkTarget && a.buddy.free.find(p) != FreeAreas.NIL) {
        a.skip.clear(pfn);
        return true;
      }
    }
    return false;
  }

  /** Models {@code pageblock_skip_persistent()}: a compound page of pageblock order or more. */
  boolean pageblockSkipPersistent(long pfn) {
    long head = pfn & -(long) PB;
    for (int o = Sizes.PAGEBLOCK_ORDER; o <= Sizes.MAX_ORDER; o++) {
      long h = head & -(1L << o);
      int info = a.live.info(h);
      if (info >= 0 && LiveAllocations.order(info) >= o && LiveAllocations.isCompound(info)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ proactive compaction

  /** Models {@code fragmentation_score_zone()}: extfrag_for_order(zone, COMPACTION_HPAGE_ORDER). */
  int fragmentationScoreZone(Zone z) {
    long[] nr = nrFree(z);
    long freePages = 0;
    long suitable = 0;
    for (int o = 0; o < nr.length; o++) {
      freePages += nr[o] << o;
      if (o >= HPAGE_ORDER) {
        suitable += nr[o] << (o - HPAGE_ORDER);
      }
    }
    if (freePages == 0) {
      return 0;
    }
    return (int) ((freePages - (suitable << HPAGE_ORDER)) * 100 / freePages);
  }

  /**
   * Models {@code fragmentation_score_node()}: the zones' scores weighted by their share of the
   * node's present pages ({@code fragmentation_score_zone_weighted()}).
   */
  int fragmentationScoreNode() {
    long nodePresent = 0;
    for (Zone z : a.zones) {
      nodePresent += z.presentPages;
    }
    long score = 0;
    for (Zone z : a.zones) {
      if (z.populated()) {
        score += z.presentPages * fragmentationScoreZone(z) / (nodePresent + 1);
      }
    }
    return (int) score;
  }

  /** Models {@code fragmentation_score_wmark()}: 100 - proactiveness (at least 5), high +10. */
  int fragmentationScoreWmark(boolean low) {
    int wmarkLow = Math.max(100 - a.sysctls.compactionProactiveness, 5);
    return low ? wmarkLow : Math.min(wmarkLow + 10, 100);
  }

  /** Models {@code should_proactive_compact_node()} (kswapd is never running here). */
  boolean shouldProactiveCompactNode() {
    if (a.sysctls.compactionProactiveness == 0) {
      return false;
    }
    return fragmentationScoreNode() > fragmentationScoreWmark(false);
  }

  /**
   * Models {@code proactive_compact_node()}: every populated zone compacted whole (sync light, skip
   * hints ignored) until its score is below the low mark; counted as kcompactd's scanning where the
   * kernel does (v6.3 on).
   */
  void proactiveCompactNode(int cpu) {
    for (Zone z : a.zones) {
      if (!z.populated()) {
        continue;
      }
      CompactControl cc =
          control(
              z, cpu, -1, UNMOVABLE, 0, 0, MigrateMode.SYNC_LIGHT, false, true, true, false, true);
      compactZone(cc);
      if (a.rules.countsProactiveKcompactdScans()) {
        a.vmstat.kcompactdMigrateScanned += cc.totalMigrateScanned;
        a.vmstat.kcompactdFreeScanned += cc.totalFreeScanned;
      }
    }
  }

  /**
   * Models {@code compact_node()} for /proc/sys/vm/compact_memory: every populated zone compacted
   * whole, synchronously, skip hints ignored (GFP_KERNEL).
   */
  void compactNode(int cpu) {
    for (Zone z : a.zones) {
      if (!z.populated()) {
        continue;
      }
      compactZone(
          control(z, cpu, -1, UNMOVABLE, 0, 0, MigrateMode.SYNC, false, true, true, false, false));
    }
  }

  /** Returns a compact_control for {@code z} with the kernel's layout of isolated free pages. */
  CompactControl control(
      Zone z,
      int cpu,
      int order,
      int migratetype,
      int allocFlags,
      int highestZoneIdx,
      MigrateMode mode,
      boolean direct,
      boolean wholeZone,
      boolean ignoreSkipHint,
      boolean ignoreBlockSuitable,
      boolean proactive) {
    return new CompactControl(
        z,
        cpu,
        order,
        migratetype,
        allocFlags,
        highestZoneIdx,
        mode,
        direct,
        wholeZone,
        ignoreSkipHint,
        ignoreBlockSuitable,
        proactive,
        a.rules.compactionFreepages());
  }

  // ------------------------------------------------------------------ pfn helpers

  static long zoneEnd(Zone z) {
    return z.startPfn + z.spannedPages;
  }

  static long pageblockStart(long pfn) {
    return pfn & -(long) PB;
  }

  static long pageblockEnd(long pfn) {
    return (pfn + PB) & -(long) PB;
  }

  /**
   * Models {@code pageblock_pfn_to_page()}: whether {@code [start, end)} lies in the zone. The
   * simulator's zones have a memory map over their whole span (holes are reserved pages).
   */
  static boolean pageblockInZone(Zone z, long start, long end) {
    return start < end && z.spans(start) && z.spans(end - 1);
  }
}
