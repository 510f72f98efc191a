package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models the buddy core of mm/page_alloc.c for every zone of the node: adding, removing and moving
 * free blocks ({@code __add_to_free_list()}, {@code del_page_from_free_list()}, {@code
 * move_to_free_list()}), splitting ({@code expand()}, {@code __rmqueue_smallest()}), merging on
 * free ({@code __free_one_page()}), and walking a pageblock ({@code move_freepages_block()}). Each
 * zone offers the fallback policies a narrow view of all this, {@link #lists(Zone)}.
 *
 * <p>Not thread safe: the owning VM serializes every call under its lock.
 */
final class Buddy {

  static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();
  static final int ISOLATE = MigrateType.ISOLATE.ordinal();
  private static final int MAX_ORDER = Sizes.MAX_ORDER;
  private static final int PB_ORDER = Sizes.PAGEBLOCK_ORDER;
  private static final int PB_PAGES = Sizes.PAGEBLOCK_NR_PAGES;
  private static final int NIL = FreeAreas.NIL;

  /** fallbacks[]: the order in which other migrate types' lists are tried (identical 6.5/ML). */
  static final int[][] FALLBACKS = {
    {MigrateType.RECLAIMABLE.ordinal(), MigrateType.MOVABLE.ordinal()},
    {MigrateType.RECLAIMABLE.ordinal(), MigrateType.UNMOVABLE.ordinal()},
    {MigrateType.UNMOVABLE.ordinal(), MigrateType.MOVABLE.ordinal()},
  };

  final FreeAreas free = new FreeAreas(ZoneType.POPULATABLE);
  final Pageblocks pageblocks;
  final LiveAllocations live;
  final ExtfragStats extfrag = new ExtfragStats();
  private final KernelRules rules;
  private final Sysctls sysctls;
  private final Vmstat vmstat;
  private final BuddyLists[] lists;

  /**
   * The direct compaction whose zone's frees may be captured ({@code current->capture_control}), or
   * null: set only while a direct compactor runs.
   */
  CompactControl capture;

  Buddy(
      Zone[] zones,
      Pageblocks pageblocks,
      LiveAllocations live,
      KernelRules rules,
      Sysctls sysctls,
      Vmstat vmstat) {
    this.pageblocks = pageblocks;
    this.live = live;
    this.rules = rules;
    this.sysctls = sysctls;
    this.vmstat = vmstat;
    this.lists = new BuddyLists[zones.length];
    for (Zone z : zones) {
      lists[z.idx] = new ZoneLists(z);
    }
  }

  /** Returns the view of one zone that the fallback policies use. */
  BuddyLists lists(Zone z) {
    return lists[z.idx];
  }

  // ------------------------------------------------------------------ free lists

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

  // ------------------------------------------------------------------ allocation side

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

  /** Returns the first fallback type with a non-empty list at this order, or -1. */
  int findFallback(Zone z, int order, int mt) {
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

  /** Models {@code can_steal_fallback()} / {@code should_try_claim_block()}. */
  static boolean canClaim(int order, int startMt) {
    if (order >= PB_ORDER) {
      return true;
    }
    return order >= PB_ORDER / 2
        || startMt == MigrateType.RECLAIMABLE.ordinal()
        || startMt == MigrateType.UNMOVABLE.ordinal();
  }

  // ------------------------------------------------------------------ free side

  /**
   * Models {@code __free_pages_ok()} / {@code free_one_page()}: counts the pages free and merges
   * them into the lists, in the pieces the kernel's rules free a block in.
   */
  void freePages(Zone z, long pfn, int order, boolean toTail) {
    z.nrFreePages += 1L << order;
    vmstat.pgfree += 1L << order;
    int piece = rules.freePieceOrder(order);
    long end = pfn + (1L << order);
    for (long p = pfn; p < end; p += 1L << piece) {
      freeOnePage(z, p, piece, pageblocks.get(p), toTail);
    }
  }

  /**
   * A block back from a per-cpu list ({@code free_pcppages_bulk()}): counted free again and merged
   * with migrate type {@code mt}, at the head of its list unless a merge is likely. PGFREE was
   * counted when it went onto the per-cpu list.
   */
  void freeFromPcp(Zone z, long pfn, int order, int mt) {
    z.nrFreePages += 1L << order;
    freeOnePage(z, pfn, order, mt, false);
  }

  /**
   * Models {@code __free_one_page()}: merges with free buddies, then adds to a list; a direct
   * compactor of the zone may capture the block on the way ({@code compaction_capture()}).
   */
  private void freeOnePage(Zone z, long pfn, int order, int mt, boolean fpiToTail) {
    CompactControl capc = capture;
    if (capc != null && (capc.zone != z || capc.capturedPfn >= 0)) {
      capc = null;
    }
    long buddyPfn = pfn;
    while (order < MAX_ORDER) {
      if (capc != null && compactionCapture(capc, order, mt)) {
        z.nrFreePages -= 1L << order;
        capc.capturedPfn = pfn;
        return;
      }
      buddyPfn = pfn ^ (1L << order);
      int bn = free.find(buddyPfn);
      if (bn == NIL || free.order(bn) != order || free.zone(bn) != z.idx) {
        break;
      }
      if (order >= PB_ORDER) {
        int buddyMt = pageblocks.get(buddyPfn);
        if (mt != buddyMt && (!mergeable(mt) || !mergeable(buddyMt))) {
          break;
        }
        pageblocks.set(buddyPfn, rules.mergedBuddyType(buddyMt, mt));
      }
      delFromFreeList(z, bn);
      pfn &= buddyPfn;
      order++;
    }
    boolean toTail = fpiToTail || buddyMergeLikely(pfn, buddyPfn, order, z);
    addToFreeList(z, pfn, order, mt, toTail);
  }

  private static boolean mergeable(int mt) {
    return mt < MigrateType.PCPTYPES;
  }

  /**
   * Models {@code compaction_capture()} (mm/page_alloc.c, v6.1): a direct compactor takes a block
   * of exactly its order as soon as the free path forms it, unless the block's type is CMA or
   * isolated or the request is below pageblock order and the block is movable ("do not let lower
   * order allocations pollute a movable pageblock").
   */
  private static boolean compactionCapture(CompactControl capc, int order, int mt) {
    if (order != capc.order || mt == MigrateType.CMA.ordinal() || mt == ISOLATE) {
      return false;
    }
    return order >= PB_ORDER || mt != MOVABLE;
  }

  /**
   * Models {@code __isolate_free_page()}: takes the free block of {@code node} off its list for
   * compaction if the zone stays above its min watermark (no boost) by the block's pages, counting
   * it out of NR_FREE_PAGES; a block of at least half a pageblock makes its pageblocks MOVABLE.
   * Returns the pages isolated, 0 if the watermark refused.
   */
  long isolateFreePage(Zone z, int node, WatermarkCheck check) {
    long pfn = free.pfn(node);
    int order = free.order(node);
    if (pageblocks.get(pfn) != ISOLATE) {
      long mark = z.watermark[AllocFlags.WMARK_MIN] + (1L << order);
      if (!check.ok(z, 0, mark, 0, AllocFlags.CMA, z.nrFreePages)) {
        return 0;
      }
    }
    z.nrFreePages -= 1L << order;
    delFromFreeList(z, node);
    if (order >= PB_ORDER - 1) {
      long end = pfn + (1L << order) - 1;
      for (long p = pfn; p < end; p += PB_PAGES) {
        int mt = pageblocks.get(p);
        if (mergeable(mt) && mt != MOVABLE) {
          if (rules.movesFreePagesWithPageblock()) {
            walkPageblock(z, p, MOVABLE, true);
          }
          pageblocks.set(p, MOVABLE);
        }
      }
    }
    return 1L << order;
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

  // ------------------------------------------------------------------ pageblocks

  /**
   * Walks the pageblock of {@code pfn} like {@code prep_move_freepages_block()} and, if {@code
   * moveTo >= 0}, {@code move_freepages_block()}: counts its free pages and its in-use LRU pages,
   * moving every free block to the tail of {@code moveTo}'s lists. Returns null if the pageblock is
   * not wholly inside the zone and {@code strictSpan} (mainline); 6.5 then starts at {@code pfn} or
   * counts nothing.
   */
  PageblockScan walkPageblock(Zone z, long pfn, int moveTo, boolean strictSpan) {
    long start = pfn & -(long) PB_PAGES;
    long end = start + PB_PAGES - 1;
    if (strictSpan) {
      if (!z.spans(start) || !z.spans(end)) {
        return null;
      }
    } else {
      if (!z.spans(start)) {
        start = pfn;
      }
      if (!z.spans(end)) {
        return new PageblockScan(0, 0);
      }
    }
    // The pageblock may be the upper half of an order-10 allocation whose head lies below it.
    if ((start & (Sizes.MAX_ORDER_NR_PAGES - 1)) != 0) {
      int info = live.info(start & -(long) Sizes.MAX_ORDER_NR_PAGES);
      if (info >= 0 && LiveAllocations.order(info) == MAX_ORDER) {
        return new PageblockScan(0, LiveAllocations.isLru(info) ? PB_PAGES : 0);
      }
    }
    long freePages = 0;
    long movable = 0;
    long p = start;
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
      int info = live.info(p);
      if (info >= 0) {
        long within = Math.min(1L << LiveAllocations.order(info), end + 1 - p);
        if (LiveAllocations.isLru(info)) {
          movable += within;
        }
        p += within;
        continue;
      }
      p++;
    }
    return new PageblockScan(freePages, movable);
  }

  /** One zone as the fallback policies see it. */
  private final class ZoneLists implements BuddyLists {
    private final Zone z;

    ZoneLists(Zone z) {
      this.z = z;
    }

    @Override
    public long rmqueueSmallest(int order, int mt) {
      return Buddy.this.rmqueueSmallest(z, order, mt);
    }

    @Override
    public int findFallback(int order, int startMt) {
      return Buddy.this.findFallback(z, order, startMt);
    }

    @Override
    public long firstFree(int order, int mt) {
      int n = free.first(z.idx, order, mt);
      return n == NIL ? -1 : free.pfn(n);
    }

    @Override
    public void delFromFreeList(long pfn) {
      Buddy.this.delFromFreeList(z, free.find(pfn));
    }

    @Override
    public void expand(long pfn, int low, int high, int mt) {
      Buddy.this.expand(z, pfn, low, high, mt);
    }

    @Override
    public void moveToFreeList(long pfn, int mt) {
      Buddy.this.moveToFreeList(z, free.find(pfn), mt);
    }

    @Override
    public PageblockScan scanPageblock(long pfn, boolean strictSpan) {
      return walkPageblock(z, pfn, -1, strictSpan);
    }

    @Override
    public void moveFreePages(long pfn, int mt, boolean strictSpan) {
      walkPageblock(z, pfn, mt, strictSpan);
    }

    @Override
    public int pageblockType(long pfn) {
      return pageblocks.get(pfn);
    }

    @Override
    public void setPageblockType(long pfn, int mt) {
      pageblocks.set(pfn, mt);
    }

    @Override
    public void changePageblockRange(long pfn, int order, int mt) {
      pageblocks.setRange(pfn, order, mt);
    }

    @Override
    public void boostWatermark(int allocFlags) {
      if (Watermarks.boost(z, sysctls.watermarkBoostFactor)
          && (allocFlags & AllocFlags.KSWAPD) != 0) {
        z.boosted = true;
      }
    }

    @Override
    public void traceExtfrag(
        long pfn, int allocOrder, int fallbackOrder, int allocMt, int fallbackMt) {
      boolean change = pageblocks.get(pfn) == allocMt;
      extfrag.record(new ExtfragEvent(pfn, allocOrder, fallbackOrder, allocMt, fallbackMt, change));
    }
  }
}
