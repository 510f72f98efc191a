package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models 6.5's {@code __rmqueue()}, {@code __rmqueue_fallback()} and {@code
 * steal_suitable_fallback()} (mm/page_alloc.c at dcdfdd40fa82).
 *
 * <p>Implementation notes. When the requested type's lists are empty, the largest block on a
 * fallback list is taken (orders from MAX_ORDER down to the request, or to pageblock_order with
 * ALLOC_NOFRAGMENT), except that a movable request that may not steal the whole block takes the
 * smallest suitable one instead. Blocks of pageblock order or more change their pageblocks' type;
 * smaller ones boost the watermark and, when stealing is allowed, move every free block of their
 * pageblock to the requested type's lists and claim the pageblock if at least half of it is free or
 * compatible. The free blocks stay moved even when the pageblock is not claimed, so list and
 * pageblock types can disagree in 6.5. Then __rmqueue_smallest() is retried.
 */
final class StealFallback implements FallbackPolicy {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

  @Override
  public long rmqueue(BuddyLists zone, int order, int migratetype, int allocFlags) {
    while (true) {
      long pfn = zone.rmqueueSmallest(order, migratetype);
      if (pfn >= 0) {
        return pfn;
      }
      if (!fallback(zone, order, migratetype, allocFlags)) {
        return -1;
      }
    }
  }

  /** Models {@code __rmqueue_fallback()}. */
  private static boolean fallback(BuddyLists zone, int order, int startMt, int flags) {
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
      return false;
    }
    boolean canSteal = Buddy.canClaim(current, startMt);
    long pfn = zone.firstFree(current, fallbackMt);
    stealSuitableFallback(zone, pfn, current, flags, startMt, canSteal);
    zone.traceExtfrag(pfn, order, current, startMt, fallbackMt);
    return true;
  }

  /** Models {@code steal_suitable_fallback()}. */
  private static void stealSuitableFallback(
      BuddyLists zone, long pfn, int currentOrder, int flags, int startType, boolean wholeBlock) {
    int oldBlockType = zone.pageblockType(pfn);
    if (oldBlockType == HIGHATOMIC) {
      zone.moveToFreeList(pfn, startType);
      return;
    }
    if (currentOrder >= Sizes.PAGEBLOCK_ORDER) {
      zone.changePageblockRange(pfn, currentOrder, startType);
      zone.moveToFreeList(pfn, startType);
      return;
    }
    zone.boostWatermark(flags);
    if (!wholeBlock) {
      zone.moveToFreeList(pfn, startType);
      return;
    }
    PageblockScan scan = zone.scanPageblock(pfn, false);
    if (scan.freePages() == 0) {
      zone.moveToFreeList(pfn, startType);
      return;
    }
    zone.moveFreePages(pfn, startType, false);
    if (scan.claims(startType, oldBlockType)) {
      zone.setPageblockType(pfn, startType);
    }
  }
}
