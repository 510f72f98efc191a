package io.cvmsim.core.mm;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.ExtfragEventView;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Models the page allocator of one NUMA node (mm/page_alloc.c): zones with their buddy free lists,
 * pageblock migrate types, the fallback between migrate types, watermarks, and the parking and
 * on-demand acceptance of unaccepted memory, following one {@link KernelModel}.
 *
 * <p>What is not modeled: per-cpu page lists (every allocation goes to the buddy lists, as
 * rmqueue_buddy() does), reclaim and compaction (an allocation that fails the min watermark in
 * every zone fails and is counted), kswapd (waking it only resets the watermark boost, as the end
 * of its balance_pgdat() does), CMA and memory isolation (their lists exist but stay empty),
 * deferred struct-page initialisation (all memory is handed over by memblock_free_all(), which
 * parks and accepts the same chunks), and page shuffling.
 *
 * <p>Not thread safe: the owning VM serializes every call under its lock, like the zone lock.
 */
public final class PageAllocator {

  private static final int MAX_ORDER = Sizes.MAX_ORDER;
  private static final int PB_ORDER = Sizes.PAGEBLOCK_ORDER;
  private static final int PB_PAGES = Sizes.PAGEBLOCK_NR_PAGES;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();
  private static final int NIL = FreeAreas.NIL;

  /** fallbacks[]: the order in which other migrate types' lists are tried (identical 6.5/ML). */
  static final int[][] FALLBACKS = {
    {MigrateType.RECLAIMABLE.ordinal(), MigrateType.MOVABLE.ordinal()},
    {MigrateType.RECLAIMABLE.ordinal(), MigrateType.UNMOVABLE.ordinal()},
    {MigrateType.UNMOVABLE.ordinal(), MigrateType.MOVABLE.ordinal()},
  };

  // allocation info packed in an int: order | migratetype << 4 | gfp << 8
  private static final int INFO_ORDER = 0xF;

  final KernelModel model;
  final boolean eager;
  final UnacceptedMemory unaccepted;
  final Zone[] zones = new Zone[ZoneType.COUNT];
  final FreeAreas free = new FreeAreas(ZoneType.POPULATABLE);
  final PageblockTypes pageblocks;
  final LongIntMap allocations = new LongIntMap(1024);
  final ExtfragStats extfrag = new ExtfragStats();

  /** Pageblocks per zone and migrate type, as /proc/pagetypeinfo counts them. */
  final long[][] pageblockCounts = new long[ZoneType.COUNT][MigrateType.COUNT];

  long minFreeKbytes = 1024;
  long userMinFreeKbytes = -1;
  int watermarkScaleFactor = 10;
  int watermarkBoostFactor = 15000;
  long totalReservePages;
  boolean watermarksInitialized;

  long pgfree;
  long kswapdWakeups;
  long acceptedChunks;
  final long[] allocOk = new long[Sizes.NR_ORDERS];
  final long[] allocFailed = new long[Sizes.NR_ORDERS];
  final long[] freed = new long[Sizes.NR_ORDERS];
  final long[] allocatedByMt = new long[MigrateType.COUNT];
  private long version;

  /**
   * Creates the allocator of a node whose usable RAM is {@code ramPfnRanges} (sorted, disjoint
   * {start, end} pfn pairs, E820 RAM with page 0 already removed). Zones get their span and present
   * pages from it; nothing is free until memory is handed over.
   */
  public PageAllocator(
      KernelModel model, boolean eager, UnacceptedMemory unaccepted, List<long[]> ramPfnRanges) {
    this.model = model;
    this.eager = eager;
    this.unaccepted = unaccepted;
    for (ZoneType t : ZoneType.values()) {
      zones[t.ordinal()] = new Zone(t);
    }
    long end = 0;
    for (long[] r : ramPfnRanges) {
      end = Math.max(end, r[1]);
      long s = r[0];
      while (s < r[1]) {
        ZoneType t = ZoneType.ofPfn(s);
        long e = Math.min(r[1], t.endPfn());
        Zone z = zones[t.ordinal()];
        if (z.presentPages == 0) {
          z.startPfn = s;
        }
        z.presentPages += e - s;
        z.spannedPages = e - z.startPfn;
        long firstPb = s >>> PB_ORDER;
        long lastPb = (e - 1) >>> PB_ORDER;
        long pbs = lastPb - firstPb + 1;
        if (z.lastCountedPageblock == firstPb) {
          pbs--;
        }
        z.lastCountedPageblock = lastPb;
        pageblockCounts[t.ordinal()][MOVABLE] += pbs;
        s = e;
      }
    }
    this.pageblocks = new PageblockTypes(end);
  }

  /** Returns the kernel model. */
  public KernelModel model() {
    return model;
  }

  /** Returns a number that changes whenever the allocator's state changes. */
  public long version() {
    return version;
  }

  Zone zoneOf(long pfn) {
    return zones[ZoneType.ofPfn(pfn).ordinal()];
  }

  // ------------------------------------------------------------------ boot hand-over

  /**
   * Models {@code __free_pages_memory(start, end)} (mm/memblock.c): hands a free memblock range to
   * the buddy allocator in blocks of the largest order its alignment allows, through {@code
   * __free_pages_core()}. Runs of whole MAX_ORDER blocks are handled a stretch at a time: chunks
   * that contain unaccepted memory are parked as one run, not one by one.
   */
  public void freeBootRange(long start, long end) {
    while (start < end) {
      int order = start == 0 ? MAX_ORDER : Math.min(MAX_ORDER, Long.numberOfTrailingZeros(start));
      while (start + (1L << order) > end) {
        order--;
      }
      if (order == MAX_ORDER) {
        long n = (end - start) >>> MAX_ORDER;
        freeChunkRun(start, n);
        start += n << MAX_ORDER;
      } else {
        freePagesCore(start, order);
        start += 1L << order;
      }
    }
    version++;
  }

  /** Models {@code __free_pages_core(page, order)} for one block. */
  private void freePagesCore(long pfn, int order) {
    Zone z = zoneOf(pfn);
    z.managedPages += 1L << order;
    long phys = Sizes.phys(pfn);
    long end = phys + (Sizes.PAGE_SIZE << order);
    if (unaccepted.rangeContainsUnacceptedMemory(phys, end)) {
      if (order == MAX_ORDER && freeUnaccepted(z, pfn, 1)) {
        return;
      }
      unaccepted.acceptMemory(
          phys, end, order == MAX_ORDER && eager ? AcceptTrigger.EAGER : AcceptTrigger.MEMBLOCK);
    }
    freePagesOk(z, pfn, order, true);
  }

  /**
   * __free_pages_core() for {@code n} consecutive MAX_ORDER chunks from {@code pfn}: stretches
   * whose chunks all contain unaccepted memory (guard unit included) are parked at once.
   */
  private void freeChunkRun(long pfn, long n) {
    long c = 0;
    while (c < n) {
      long chunk = pfn + (c << MAX_ORDER);
      long phys = Sizes.phys(chunk);
      long chunkBytes = Sizes.PAGE_SIZE << MAX_ORDER;
      if (eager || !unaccepted.rangeContainsUnacceptedMemory(phys, phys + chunkBytes)) {
        freePagesCore(chunk, MAX_ORDER);
        c++;
        continue;
      }
      // This chunk is parked, and so is every following chunk that starts inside the run of
      // unaccepted units found at or after it.
      long runStart = unaccepted.nextUnacceptedAtOrAbove(phys);
      long runEnd = runStart < 0 ? phys : unaccepted.unacceptedRunEnd(runStart);
      long k = 1;
      if (runEnd > phys + chunkBytes) {
        k = Math.max(1, (runEnd - phys + chunkBytes - 1) / chunkBytes);
        k = Math.min(k, n - c);
        // the last chunk of the stretch must itself start inside the run
        while (k > 1 && phys + (k - 1) * chunkBytes >= runEnd) {
          k--;
        }
      }
      Zone z = zoneOf(chunk);
      // All chunks of a stretch lie in one zone: zone boundaries are MAX_ORDER aligned.
      long inZone = Math.min(k, (z.type.endPfn() - chunk) >>> MAX_ORDER);
      k = Math.max(1, inZone);
      z.managedPages += k << MAX_ORDER;
      freeUnaccepted(z, chunk, k);
      c += k;
    }
  }

  /**
   * Models {@code __free_unaccepted(page)} for {@code n} consecutive chunks: with {@code
   * accept_memory=eager} it declines (the caller accepts); otherwise the chunks go to the tail of
   * the zone's unaccepted list and count in NR_FREE_PAGES and NR_UNACCEPTED.
   */
  private boolean freeUnaccepted(Zone z, long pfn, long n) {
    if (eager) {
      return false;
    }
    z.parked.addTail(pfn, n);
    long pages = n << MAX_ORDER;
    z.nrFreePages += pages;
    z.nrUnaccepted += pages;
    return true;
  }

  /**
   * Models {@code try_to_accept_memory_one(zone)}: takes the first parked chunk, accepts it
   * (accept_memory on 4 MiB, so the guard unit too), and frees it to the tail of the buddy lists.
   */
  boolean tryToAcceptMemoryOne(Zone z) {
    long pfn = z.parked.takeFirst();
    if (pfn < 0) {
      return false;
    }
    z.nrFreePages -= Sizes.MAX_ORDER_NR_PAGES;
    z.nrUnaccepted -= Sizes.MAX_ORDER_NR_PAGES;
    long phys = Sizes.phys(pfn);
    unaccepted.acceptMemory(phys, phys + (Sizes.PAGE_SIZE << MAX_ORDER), AcceptTrigger.ALLOCATOR);
    freePagesOk(z, pfn, MAX_ORDER, true);
    acceptedChunks++;
    version++;
    return true;
  }

  // ------------------------------------------------------------------ watermarks

  /**
   * Models {@code init_per_zone_wmark_min()} (postcore_initcall): min_free_kbytes from the managed
   * memory, then the watermarks, the lowmem reserves and totalreserve_pages.
   */
  public void initPerZoneWmarkMin() {
    Watermarks.initPerZoneWmarkMin(this);
    watermarksInitialized = true;
    version++;
  }

  /** Models writing /proc/sys/vm/min_free_kbytes, then recomputes the watermarks. */
  public void setMinFreeKbytes(long kbytes) {
    userMinFreeKbytes = kbytes;
    minFreeKbytes = kbytes;
    Watermarks.setupPerZoneWmarks(this);
    Watermarks.setupPerZoneLowmemReserve(this);
    version++;
  }

  /** Models writing /proc/sys/vm/watermark_scale_factor, then recomputes the watermarks. */
  public void setWatermarkScaleFactor(int factor) {
    watermarkScaleFactor = factor;
    Watermarks.setupPerZoneWmarks(this);
    version++;
  }

  /** Models the recommended min_free_kbytes khugepaged sets when THP is enabled. */
  public void setRecommendedMinFreeKbytes() {
    Watermarks.setRecommendedMinFreeKbytes(this);
    version++;
  }

  /**
   * Models {@code __zone_watermark_unusable_free()}: free pages the caller may not count.
   * Highatomic reserves and (6.5 only) parked unaccepted memory.
   */
  long watermarkUnusableFree(Zone z, int order, int allocFlags) {
    long unusable = (1L << order) - 1;
    if ((allocFlags & AllocFlags.RESERVES) == 0) {
      unusable += model.highatomicTermIsFree ? z.nrFreeHighatomic : z.nrReservedHighatomic;
    }
    if (model.unacceptedIsUnusable) {
      unusable += z.nrUnaccepted;
    }
    return unusable;
  }

  /** Models {@code __zone_watermark_ok()}. */
  boolean zoneWatermarkOk(
      Zone z, int order, long mark, int highestIdx, int allocFlags, long freePages) {
    long min = mark;
    freePages -= watermarkUnusableFree(z, order, allocFlags);
    if ((allocFlags & AllocFlags.RESERVES) != 0) {
      if ((allocFlags & AllocFlags.MIN_RESERVE) != 0) {
        min -= min / 2;
        if ((allocFlags & AllocFlags.NON_BLOCK) != 0) {
          min -= min / 4;
        }
      }
      if ((allocFlags & AllocFlags.OOM) != 0) {
        min -= min / 2;
      }
    }
    if (freePages <= min + z.lowmemReserve[highestIdx]) {
      return false;
    }
    if (order == 0) {
      return true;
    }
    for (int o = order; o <= MAX_ORDER; o++) {
      if (free.nrFree(z.idx, o) == 0) {
        continue;
      }
      for (int mt = 0; mt < MigrateType.PCPTYPES; mt++) {
        if (!free.isEmpty(z.idx, o, mt)) {
          return true;
        }
      }
      if ((allocFlags & (AllocFlags.HIGHATOMIC | AllocFlags.OOM)) != 0
          && !free.isEmpty(z.idx, o, HIGHATOMIC)) {
        return true;
      }
    }
    return false;
  }

  /** Models {@code zone_watermark_fast()}. */
  boolean zoneWatermarkFast(Zone z, int order, long mark, int highestIdx, int allocFlags) {
    long freePages = z.nrFreePages;
    if (order == 0) {
      long reserved = watermarkUnusableFree(z, 0, allocFlags);
      long usable = freePages - Math.min(freePages, reserved);
      if (usable > mark + z.lowmemReserve[highestIdx]) {
        return true;
      }
    }
    if (zoneWatermarkOk(z, order, mark, highestIdx, allocFlags, freePages)) {
      return true;
    }
    if (order == 0
        && (allocFlags & AllocFlags.MIN_RESERVE) != 0
        && z.watermarkBoost != 0
        && (allocFlags & AllocFlags.WMARK_MASK) == AllocFlags.WMARK_MIN) {
      return zoneWatermarkOk(
          z, order, z.watermark[AllocFlags.WMARK_MIN], highestIdx, allocFlags, freePages);
    }
    return false;
  }

  // ------------------------------------------------------------------ allocation

  /**
   * Models {@code __alloc_pages(gfp, order)}: the fast path at the low watermark with
   * ALLOC_NOFRAGMENT when the preferred zone is Normal, then the slow path's single attempt at the
   * min watermark with the flags gfp_to_alloc_flags() gives. Returns the head pfn, or -1 if no zone
   * could serve it (counted as a failure).
   */
  public long allocPages(Gfp gfp, int order) {
    int highest = gfp.highestZone().ordinal();
    int mt = gfp.migrateType().ordinal();
    Zone preferred = null;
    for (int i = Math.min(highest, ZoneType.NORMAL.ordinal()); i >= 0; i--) {
      if (zones[i].managed()) {
        preferred = zones[i];
        break;
      }
    }
    long pfn = -1;
    if (preferred != null) {
      int flags = AllocFlags.WMARK_LOW | (gfp.kswapd() ? AllocFlags.KSWAPD : 0);
      if (preferred.type == ZoneType.NORMAL) {
        flags |= AllocFlags.NOFRAGMENT;
      }
      pfn = getPageFromFreelist(order, flags, highest, mt);
      if (pfn < 0) {
        pfn = getPageFromFreelist(order, gfpToAllocFlags(gfp, order), highest, mt);
      }
    }
    version++;
    if (pfn < 0) {
      allocFailed[order]++;
      return -1;
    }
    allocations.put(pfn, order | mt << 4 | gfp.ordinal() << 8);
    allocatedByMt[mt] += 1L << order;
    Zone z = zoneOf(pfn);
    z.allocatedPages += 1L << order;
    z.pgalloc += 1L << order;
    allocOk[order]++;
    return pfn;
  }

  /** Models {@code gfp_to_alloc_flags()} (6.5; mainline is the same for these masks). */
  private static int gfpToAllocFlags(Gfp gfp, int order) {
    int flags = AllocFlags.WMARK_MIN | AllocFlags.CPUSET;
    if (gfp.high()) {
      flags |= AllocFlags.MIN_RESERVE;
    }
    if (gfp.kswapd()) {
      flags |= AllocFlags.KSWAPD;
    }
    if (!gfp.canDirectReclaim()) {
      if (!gfp.noMemalloc()) {
        flags |= AllocFlags.NON_BLOCK;
        if (order > 0) {
          flags |= AllocFlags.HIGHATOMIC;
        }
      }
      if ((flags & AllocFlags.MIN_RESERVE) != 0) {
        flags &= ~AllocFlags.CPUSET;
      }
    }
    return flags;
  }

  /** Models {@code get_page_from_freelist()} over the zonelist from {@code highest} down. */
  private long getPageFromFreelist(int order, int allocFlags, int highest, int mt) {
    AcceptOnDemand accept = model.acceptOnDemand;
    while (true) {
      boolean noFallback = (allocFlags & AllocFlags.NOFRAGMENT) != 0;
      for (int i = highest; i >= 0; i--) {
        Zone z = zones[i];
        if (!z.managed()) {
          continue;
        }
        accept.beforeWatermarkCheck(this, z, order, allocFlags);
        long mark = z.wmark(allocFlags & AllocFlags.WMARK_MASK);
        if (!zoneWatermarkFast(z, order, mark, highest, allocFlags)
            && !accept.afterFailedWatermark(this, z, order, allocFlags)
            && (allocFlags & AllocFlags.NO_WATERMARKS) == 0) {
          continue;
        }
        while (true) {
          long pfn = rmqueue(z, order, mt, allocFlags);
          if (pfn >= 0) {
            if ((allocFlags & AllocFlags.HIGHATOMIC) != 0) {
              reserveHighatomicPageblock(z, pfn, order);
            }
            return pfn;
          }
          if (!accept.afterFailedRmqueue(this, z, order, allocFlags)) {
            break;
          }
        }
      }
      if (!noFallback) {
        return -1;
      }
      allocFlags &= ~AllocFlags.NOFRAGMENT;
    }
  }

  /** Models {@code rmqueue_buddy()}. */
  private long rmqueue(Zone z, int order, int mt, int allocFlags) {
    long pfn = -1;
    if ((allocFlags & AllocFlags.HIGHATOMIC) != 0) {
      pfn = rmqueueSmallest(z, order, HIGHATOMIC);
    }
    if (pfn < 0) {
      pfn = model.fallback.rmqueue(this, z, order, mt, allocFlags);
      if (pfn < 0 && (allocFlags & model.highatomicFallbackFlags) != 0) {
        pfn = rmqueueSmallest(z, order, HIGHATOMIC);
      }
      if (pfn < 0) {
        return -1;
      }
    }
    z.nrFreePages -= 1L << order;
    if ((allocFlags & AllocFlags.KSWAPD) != 0 && z.boosted) {
      // wakeup_kswapd(): kswapd is not modeled beyond resetting the boost when it finishes.
      z.boosted = false;
      z.watermarkBoost = 0;
      kswapdWakeups++;
    }
    return pfn;
  }

  /** Models {@code __rmqueue_smallest()}: the first block of the lowest suitable order. */
  long rmqueueSmallest(Zone z, int order, int mt) {
    for (int o = order; o <= MAX_ORDER; o++) {
      int n = free.first(z.idx, o, mt);
      if (n == NIL) {
        continue;
      }
      long pfn = free.pfn(n);
      delFromFreeList(z, n);
      expand(z, pfn, order, o, mt);
      return pfn;
    }
    return -1;
  }

  /** Models {@code expand()}: puts the upper halves of a split block on the head of lists. */
  void expand(Zone z, long pfn, int low, int high, int mt) {
    long size = 1L << high;
    while (high > low) {
      high--;
      size >>>= 1;
      addToFreeList(z, pfn + size, high, mt, false);
    }
  }

  void addToFreeList(Zone z, long pfn, int order, int mt, boolean tail) {
    free.add(z.idx, pfn, order, mt, tail);
    if (mt == HIGHATOMIC) {
      z.nrFreeHighatomic += 1L << order;
    }
  }

  void delFromFreeList(Zone z, int node) {
    if (free.migratetype(node) == HIGHATOMIC) {
      z.nrFreeHighatomic -= 1L << free.order(node);
    }
    free.remove(node);
  }

  void moveToFreeList(Zone z, int node, int mt) {
    int old = free.migratetype(node);
    long pages = 1L << free.order(node);
    if (old == HIGHATOMIC) {
      z.nrFreeHighatomic -= pages;
    }
    if (mt == HIGHATOMIC) {
      z.nrFreeHighatomic += pages;
    }
    free.moveToTail(node, mt);
  }

  // ------------------------------------------------------------------ fallback helpers

  /** Models {@code can_steal_fallback()} / {@code should_try_claim_block()}. */
  static boolean canClaim(int order, int startMt) {
    if (order >= PB_ORDER) {
      return true;
    }
    return order >= PB_ORDER / 2
        || startMt == MigrateType.RECLAIMABLE.ordinal()
        || startMt == MigrateType.UNMOVABLE.ordinal();
  }

  /** Returns the first fallback type with a non-empty list at this order, or -1. */
  int firstFallback(Zone z, int order, int mt) {
    if (free.nrFree(z.idx, order) == 0) {
      return -1;
    }
    for (int fb : FALLBACKS[mt]) {
      if (!free.isEmpty(z.idx, order, fb)) {
        return fb;
      }
    }
    return -1;
  }

  /** Models {@code change_pageblock_range()}. */
  void changePageblockRange(long pfn, int order, int mt) {
    long n = Math.max(1, (1L << order) >>> PB_ORDER);
    for (long i = 0; i < n; i++) {
      setPageblockMigratetype(pfn + i * PB_PAGES, mt);
    }
  }

  /** Models {@code set_pageblock_migratetype()}, keeping the per-type pageblock counts. */
  void setPageblockMigratetype(long pfn, int mt) {
    int old = pageblocks.get(pfn);
    if (old == mt) {
      return;
    }
    int z = ZoneType.ofPfn(pfn).ordinal();
    pageblockCounts[z][old]--;
    pageblockCounts[z][mt]++;
    pageblocks.set(pfn, mt);
  }

  int pageblockMigratetype(long pfn) {
    return pageblocks.get(pfn);
  }

  /**
   * Walks the pageblock of {@code pfn} like move_freepages_block() and prep_move_freepages_block():
   * counts its free pages and its in-use movable (LRU) pages, and if {@code moveTo >= 0} moves
   * every free block to the tail of that type's list. Returns {@code free << 32 | movable}, or -1
   * if the pageblock is not wholly inside the zone and {@code strictSpan} (mainline); 6.5 then
   * starts at {@code pfn} or returns 0.
   */
  long walkPageblock(Zone z, long pfn, int moveTo, boolean strictSpan) {
    long start = pfn & -(long) PB_PAGES;
    long end = start + PB_PAGES - 1;
    if (strictSpan) {
      if (!z.spans(start) || !z.spans(end)) {
        return -1;
      }
    } else {
      if (!z.spans(start)) {
        start = pfn;
      }
      if (!z.spans(end)) {
        return 0;
      }
    }
    long freePages = 0;
    long movable = 0;
    long p = start;
    // The pageblock may be the upper half of an order-10 allocation whose head lies below it.
    if ((start & (Sizes.MAX_ORDER_NR_PAGES - 1)) != 0) {
      long head = start & -(long) Sizes.MAX_ORDER_NR_PAGES;
      int info = allocations.get(head, -1);
      if (info >= 0 && (info & INFO_ORDER) == MAX_ORDER) {
        return isLru(info) ? PB_PAGES : 0;
      }
    }
    while (p <= end) {
      int n = free.find(p);
      if (n != NIL && free.zone(n) == z.idx) {
        long pages = 1L << free.order(n);
        freePages += pages;
        if (moveTo >= 0) {
          moveToFreeList(z, n, moveTo);
        }
        p += pages;
        continue;
      }
      int info = allocations.get(p, -1);
      if (info >= 0) {
        long pages = 1L << (info & INFO_ORDER);
        long within = Math.min(pages, end + 1 - p);
        if (isLru(info)) {
          movable += within;
        }
        p += within;
        continue;
      }
      p++;
    }
    return freePages << 32 | movable;
  }

  private static boolean isLru(int info) {
    return ((info >>> 4) & 0xF) == MOVABLE;
  }

  /** Models {@code boost_watermark()}; returns whether the boost changed. */
  boolean boostWatermark(Zone z) {
    if (watermarkBoostFactor == 0) {
      return false;
    }
    if ((long) PB_PAGES * 4 > z.managedPages) {
      return false;
    }
    long maxBoost =
        Watermarks.multFrac(z.watermark[AllocFlags.WMARK_HIGH], watermarkBoostFactor, 10000);
    if (maxBoost == 0) {
      return false;
    }
    maxBoost = Math.max(PB_PAGES, maxBoost);
    z.watermarkBoost = Math.min(z.watermarkBoost + PB_PAGES, maxBoost);
    return true;
  }

  /** Emits {@code mm_page_alloc_extfrag}; change_ownership is read as the event fires. */
  void traceExtfrag(long pfn, int allocOrder, int fallbackOrder, int allocMt, int fallbackMt) {
    boolean change = pageblocks.get(pfn) == allocMt;
    extfrag.record(new ExtfragEvent(pfn, allocOrder, fallbackOrder, allocMt, fallbackMt, change));
  }

  /** Models {@code reserve_highatomic_pageblock()}. */
  private void reserveHighatomicPageblock(Zone z, long pfn, int order) {
    long maxManaged;
    if (model.highatomicReserveByOrder) {
      if (z.managedPages / 100 < PB_PAGES) {
        return;
      }
      maxManaged = Sizes.alignUp(z.managedPages / 100, PB_PAGES);
    } else {
      maxManaged = z.managedPages / 100 + PB_PAGES;
    }
    if (z.nrReservedHighatomic >= maxManaged) {
      return;
    }
    int mt = pageblocks.get(pfn);
    if (mt >= MigrateType.PCPTYPES) {
      return;
    }
    if (model.highatomicReserveByOrder && order >= PB_ORDER) {
      changePageblockRange(pfn, order, HIGHATOMIC);
      z.nrReservedHighatomic += 1L << order;
      return;
    }
    if (model.highatomicReserveByOrder && walkPageblock(z, pfn, -1, true) < 0) {
      return;
    }
    z.nrReservedHighatomic += PB_PAGES;
    setPageblockMigratetype(pfn, HIGHATOMIC);
    walkPageblock(z, pfn, HIGHATOMIC, model.highatomicReserveByOrder);
  }

  // ------------------------------------------------------------------ freeing

  /** Returns whether {@code pfn} is the head of a live allocation. */
  public boolean isAllocated(long pfn) {
    return allocations.containsKey(pfn);
  }

  /** Returns the order of the live allocation whose head is {@code pfn}, or -1. */
  public int allocationOrder(long pfn) {
    int info = allocations.get(pfn, -1);
    return info < 0 ? -1 : info & INFO_ORDER;
  }

  /** Returns the migrate type of the live allocation whose head is {@code pfn}, or -1. */
  public int allocationMigratetype(long pfn) {
    int info = allocations.get(pfn, -1);
    return info < 0 ? -1 : (info >>> 4) & 0xF;
  }

  /**
   * Models {@code __free_pages(page, order)} for the allocation whose head is {@code pfn}.
   *
   * @return the order freed
   * @throws IllegalArgumentException if {@code pfn} is not the head of a live allocation
   */
  public int freePages(long pfn) {
    int info = allocations.remove(pfn, -1);
    if (info < 0) {
      throw new IllegalArgumentException("pfn " + pfn + " is not the head of a live allocation");
    }
    int order = info & INFO_ORDER;
    allocatedByMt[(info >>> 4) & 0xF] -= 1L << order;
    Zone z = zoneOf(pfn);
    z.allocatedPages -= 1L << order;
    freePagesOk(z, pfn, order, false);
    freed[order]++;
    version++;
    return order;
  }

  /** Models {@code __free_pages_ok()} / {@code free_one_page()}. */
  private void freePagesOk(Zone z, long pfn, int order, boolean toTail) {
    z.nrFreePages += 1L << order;
    pgfree += 1L << order;
    if (model.splitLargeBuddyOnFree && order > PB_ORDER) {
      long end = pfn + (1L << order);
      for (long p = pfn; p < end; p += PB_PAGES) {
        freeOnePage(z, p, PB_ORDER, pageblocks.get(p), toTail);
      }
    } else {
      freeOnePage(z, pfn, order, pageblocks.get(pfn), toTail);
    }
  }

  /** Models {@code __free_one_page()}: merges with free buddies, then adds to a list. */
  private void freeOnePage(Zone z, long pfn, int order, int mt, boolean fpiToTail) {
    long buddyPfn = pfn;
    while (order < MAX_ORDER) {
      buddyPfn = pfn ^ (1L << order);
      int bn = free.find(buddyPfn);
      if (bn == NIL || free.order(bn) != order || free.zone(bn) != z.idx) {
        break;
      }
      int buddyBlockMt = mt;
      if (order >= PB_ORDER) {
        buddyBlockMt = pageblocks.get(buddyPfn);
        if (mt != buddyBlockMt && (!mergeable(mt) || !mergeable(buddyBlockMt))) {
          break;
        }
      }
      delFromFreeList(z, bn);
      if (model.mergeAdoptsBuddyType && buddyBlockMt != mt) {
        setPageblockMigratetype(buddyPfn, mt);
      }
      pfn &= buddyPfn;
      order++;
    }
    boolean toTail = fpiToTail || buddyMergeLikely(pfn, buddyPfn, order, z);
    addToFreeList(z, pfn, order, mt, toTail);
  }

  private static boolean mergeable(int mt) {
    return mt < MigrateType.PCPTYPES;
  }

  /** Models {@code buddy_merge_likely()}: whether the parent's buddy is free at order + 1. */
  private boolean buddyMergeLikely(long pfn, long buddyPfn, int order, Zone z) {
    if (order >= MAX_ORDER - 1) {
      return false;
    }
    long higherPage = buddyPfn & pfn;
    long higherBuddy = higherPage ^ (1L << (order + 1));
    int n = free.find(higherBuddy);
    return n != NIL && free.order(n) == order + 1 && free.zone(n) == z.idx;
  }

  // ------------------------------------------------------------------ reading

  /** Returns the zone of this type. */
  Zone zone(ZoneType t) {
    return zones[t.ordinal()];
  }

  /** Returns NR_FREE_PAGES over all zones (parked chunks included). */
  public long nrFreePages() {
    long n = 0;
    for (Zone z : zones) {
      n += z.nrFreePages;
    }
    return n;
  }

  /** Returns NR_UNACCEPTED over all zones. */
  public long nrUnaccepted() {
    long n = 0;
    for (Zone z : zones) {
      n += z.nrUnaccepted;
    }
    return n;
  }

  /** Returns the sum over all zones of one watermark, boost included. */
  public long watermarkPages(WatermarkLevel level) {
    long n = 0;
    for (Zone z : zones) {
      n += z.wmark(level.ordinal());
    }
    return n;
  }

  /** Returns MemTotal in pages: the sum of managed pages. */
  public long managedPages() {
    long n = 0;
    for (Zone z : zones) {
      n += z.managedPages;
    }
    return n;
  }

  /** Returns the number of live allocations. */
  public int liveAllocations() {
    return allocations.size();
  }

  /** Returns the pages in live allocations, all zones. */
  public long allocatedPages() {
    long n = 0;
    for (int i = 0; i < ZoneType.POPULATABLE; i++) {
      n += zones[i].allocatedPages;
    }
    return n;
  }

  /** Returns the heap the allocator's structures hold, in bytes. */
  public long heapBytes() {
    long parked = 0;
    for (Zone z : zones) {
      parked += z.parked.heapBytes();
    }
    return free.heapBytes() + allocations.heapBytes() + pageblocks.heapBytes() + parked + 4096;
  }

  /**
   * Returns an immutable snapshot of every counter the views print.
   *
   * @param percpuPages pages of the first percpu chunk (for meminfo)
   * @param directMap bytes mapped at 4K, 2M and 1G in the direct map (for meminfo)
   * @param vcpus online CPUs (for zoneinfo's pagesets)
   */
  public MemorySnapshot snapshot(long percpuPages, long[] directMap, int vcpus) {
    List<ZoneSnapshot> zs = new ArrayList<>(ZoneType.COUNT);
    for (Zone z : zones) {
      long[] nrFree = new long[Sizes.NR_ORDERS];
      long[][] blocks = new long[Sizes.NR_ORDERS][MigrateType.COUNT];
      if (z.idx < ZoneType.POPULATABLE) {
        for (int o = 0; o < Sizes.NR_ORDERS; o++) {
          nrFree[o] = free.nrFree(z.idx, o);
          for (int m = 0; m < MigrateType.COUNT; m++) {
            blocks[o][m] = free.count(z.idx, o, m);
          }
        }
      }
      zs.add(
          new ZoneSnapshot(
              z.type.procName(),
              z.idx,
              z.populated(),
              z.startPfn,
              z.spannedPages,
              z.presentPages,
              z.managedPages,
              z.nrFreePages,
              z.nrUnaccepted,
              z.allocatedPages,
              z.nrFreeHighatomic,
              z.nrReservedHighatomic,
              z.watermark.clone(),
              z.watermarkBoost,
              z.lowmemReserve.clone(),
              nrFree,
              blocks,
              pageblockCounts[z.idx].clone(),
              z.pgalloc,
              z.parked.runs()));
    }
    long[][][] ef = new long[MigrateType.COUNT][MigrateType.COUNT][2];
    for (int a = 0; a < MigrateType.COUNT; a++) {
      for (int f = 0; f < MigrateType.COUNT; f++) {
        ef[a][f][0] = extfrag.count(a, f, false);
        ef[a][f][1] = extfrag.count(a, f, true);
      }
    }
    List<ExtfragEventView> recent = new ArrayList<>();
    for (ExtfragEvent e : extfrag.recent()) {
      recent.add(
          new ExtfragEventView(
              e.pfn(),
              e.allocOrder(),
              e.fallbackOrder(),
              e.allocMigratetype(),
              e.fallbackMigratetype(),
              e.fragmenting(),
              e.changeOwnership()));
    }
    return new MemorySnapshot(
        model.label(),
        List.copyOf(zs),
        minFreeKbytes,
        watermarkScaleFactor,
        totalReservePages,
        pgfree,
        allocOk.clone(),
        allocFailed.clone(),
        freed.clone(),
        ef,
        extfrag.total(),
        extfrag.fragmenting(),
        extfrag.fragmentingMovable(),
        kswapdWakeups,
        acceptedChunks,
        allocatedByMt[MOVABLE],
        allocatedByMt[MigrateType.RECLAIMABLE.ordinal()],
        allocatedByMt[MigrateType.UNMOVABLE.ordinal()] + allocatedByMt[HIGHATOMIC],
        percpuPages,
        directMap.clone(),
        vcpus,
        List.copyOf(recent));
  }

  /** Calls {@code consumer} for every live allocation (head pfn, order, migrate type). */
  public void forEachAllocation(AllocationConsumer consumer) {
    allocations.forEach((pfn, info) -> consumer.accept(pfn, info & INFO_ORDER, (info >>> 4) & 0xF));
  }

  /** Calls {@code consumer} for every free buddy block (head pfn, order, list migrate type). */
  public void forEachFreeBlock(AllocationConsumer consumer) {
    for (int z = 0; z < ZoneType.POPULATABLE; z++) {
      for (int o = 0; o <= MAX_ORDER; o++) {
        for (int m = 0; m < MigrateType.COUNT; m++) {
          for (int n = free.first(z, o, m); n != NIL; n = free.next(n)) {
            consumer.accept(free.pfn(n), o, m);
          }
        }
      }
    }
  }

  /** Calls {@code consumer} for every run of parked chunks (first pfn, chunks, zone index). */
  public void forEachParkedRun(AllocationConsumer consumer) {
    for (Zone z : zones) {
      for (int r = 0; r < z.parked.runs(); r++) {
        long[] run = z.parked.run(r);
        consumer.accept(run[0], (int) run[1], z.idx);
      }
    }
  }

  /** Receives live allocations. */
  @FunctionalInterface
  public interface AllocationConsumer {
    /** Called once per allocation. */
    void accept(long pfn, int order, int migratetype);
  }
}
