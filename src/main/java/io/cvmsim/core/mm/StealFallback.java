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
  public long rmqueue(PageAllocator a, Zone zone, int order, int migratetype, int allocFlags) {
    while (true) {
      long pfn = a.rmqueueSmallest(zone, order, migratetype);
      if (pfn >= 0) {
        return pfn;
      }
      if (!fallback(a, zone, order, migratetype, allocFlags)) {
        return -1;
      }
    }
  }

  private static boolean fallback(PageAllocator a, Zone zone, int order, int startMt, int flags) {
    int minOrder = order;
    if (order < Sizes.PAGEBLOCK_ORDER && (flags & AllocFlags.NOFRAGMENT) != 0) {
      minOrder = Sizes.PAGEBLOCK_ORDER;
    }
    int current;
    int fallbackMt = -1;
    for (current = Sizes.MAX_ORDER; current >= minOrder; current--) {
      fallbackMt = a.firstFallback(zone, current, startMt);
      if (fallbackMt < 0) {
        continue;
      }
      if (!PageAllocator.canClaim(current, startMt) && startMt == MOVABLE && current > order) {
        for (current = order; current <= Sizes.MAX_ORDER; current++) {
          fallbackMt = a.firstFallback(zone, current, startMt);
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
    boolean canSteal = PageAllocator.canClaim(current, startMt);
    int node = a.free.first(zone.idx, current, fallbackMt);
    long pfn = a.free.pfn(node);
    stealSuitableFallback(a, zone, node, pfn, current, flags, startMt, canSteal);
    a.traceExtfrag(pfn, order, current, startMt, fallbackMt);
    return true;
  }

  private static void stealSuitableFallback(
      PageAllocator a,
      Zone zone,
      int node,
      long pfn,
      int currentOrder,
      int flags,
      int startType,
      boolean wholeBlock) {
    int oldBlockType = a.pageblockMigratetype(pfn);
    if (oldBlockType == HIGHATOMIC) {
      a.moveToFreeList(zone, node, startType);
      return;
    }
    if (currentOrder >= Sizes.PAGEBLOCK_ORDER) {
      a.changePageblockRange(pfn, currentOrder, startType);
      a.moveToFreeList(zone, node, startType);
      return;
    }
    if (a.boostWatermark(zone) && (flags & AllocFlags.KSWAPD) != 0) {
      zone.boosted = true;
    }
    if (!wholeBlock) {
      a.moveToFreeList(zone, node, startType);
      return;
    }
    long walked = a.walkPageblock(zone, pfn, startType, false);
    long freePages = walked >>> 32;
    long movablePages = walked & 0xFFFFFFFFL;
    if (freePages == 0) {
      a.moveToFreeList(zone, node, startType);
      return;
    }
    long alike;
    if (startType == MOVABLE) {
      alike = movablePages;
    } else if (oldBlockType == MOVABLE) {
      alike = Sizes.PAGEBLOCK_NR_PAGES - (freePages + movablePages);
    } else {
      alike = 0;
    }
    if (freePages + alike >= (1 << (Sizes.PAGEBLOCK_ORDER - 1))) {
      a.setPageblockMigratetype(pfn, startType);
    }
  }
}
