package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models {@code __rmqueue_fallback()} and {@code steal_suitable_fallback()} as they were from v6.10
 * ("mm: page_alloc: fix freelist movement during block conversion", Johannes Weiner's freelist
 * hygiene) until v6.15 split them into claim and steal: the search of 6.5 (the largest fallback
 * block first, the smallest for a movable request that may not take a whole pageblock), but a block
 * is either claimed with its whole pageblock — every free block of the pageblock moves to the
 * requested type, which then gets the pageblock, and the request is served from its own lists — or
 * only the block found is split, its remainder staying on the fallback type's lists. Free lists and
 * pageblock types always agree.
 */
final class HygieneStealFallback implements FallbackPolicy {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

  @Override
  public long rmqueue(BuddyLists zone, int order, int migratetype, int allocFlags) {
    long pfn = zone.rmqueueSmallest(order, migratetype);
    if (pfn >= 0) {
      return pfn;
    }
    return fallback(zone, order, migratetype, allocFlags);
  }

  /** Models {@code __rmqueue_fallback()}: returns the block taken, or -1. */
  private static long fallback(BuddyLists zone, int order, int startMt, int flags) {
    int minOrder = order;
    if (order < Sizes.PAGEBLOCK_ORDER && (flags & AllocFlags.NOFRAGMENT) != 0) {
      minOrder = Sizes.PAGEBLOCK_ORDER;
    }
    int current;
    int fallbackMt = -1;
    for (current = Sizes.MAX_ORDER; current >= minOrder; current--) {
      fallbackMt = zone.findFallback(current, startMt);
      if (fallbackMt < 0) {
        continue;
      }
      if (!Buddy.canClaim(current, startMt) && startMt == MOVABLE && current > order) {
        for (current = order; current <= Sizes.MAX_ORDER; current++) {
          fallbackMt = zone.findFallback(current, startMt);
          if (fallbackMt >= 0) {
            break;
          }
        }
      }
      break;
    }
    if (fallbackMt < 0) {
      return -1;
    }
    boolean wholeBlock = Buddy.canClaim(current, startMt);
    long block = zone.firstFree(current, fallbackMt);
    long pfn = steal(zone, block, current, order, flags, startMt, fallbackMt, wholeBlock);
    zone.traceExtfrag(pfn, order, current, startMt, fallbackMt);
    return pfn;
  }

  /** Models {@code steal_suitable_fallback()} of v6.10–v6.14: returns the block handed out. */
  private static long steal(
      BuddyLists zone,
      long pfn,
      int currentOrder,
      int order,
      int flags,
      int startType,
      int blockType,
      boolean wholeBlock) {
    if (zone.pageblockType(pfn) != HIGHATOMIC) {
      if (currentOrder >= Sizes.PAGEBLOCK_ORDER) {
        zone.delFromFreeList(pfn);
        zone.changePageblockRange(pfn, currentOrder, startType);
        zone.expand(pfn, order, currentOrder, startType);
        return pfn;
      }
      zone.boostWatermark(flags);
      if (wholeBlock) {
        PageblockScan scan = zone.scanPageblock(pfn, true);
        if (scan != null && scan.claims(startType, zone.pageblockType(pfn))) {
          zone.moveFreePages(pfn, startType, true);
          zone.setPageblockType(pfn, startType);
          return zone.rmqueueSmallest(order, startType);
        }
      }
    }
    zone.delFromFreeList(pfn);
    zone.expand(pfn, order, currentOrder, blockType);
    return pfn;
  }
}
