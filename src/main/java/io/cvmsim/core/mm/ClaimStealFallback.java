package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models mainline's {@code __rmqueue()} with its modes (v6.15+): the requested type's lists, then
 * {@code __rmqueue_claim()}, then, unless ALLOC_NOFRAGMENT, {@code __rmqueue_steal()}.
 *
 * <p>Implementation notes. Claiming scans orders from MAX_ORDER down and stops at the first order
 * too small to claim a pageblock (find_suitable_fallback() returns -2 there). A block of pageblock
 * order or more is taken whole and its pageblocks change type; a smaller one boosts the watermark,
 * and its pageblock is claimed only if at least half of it is free or compatible, in which case all
 * its free blocks move to the requested type and the request is served by __rmqueue_smallest()
 * (possibly from another block); otherwise nothing changes. Stealing takes the smallest fallback
 * block, splits it and leaves the rest on the fallback type's lists, without a boost and without
 * touching the pageblock ("don't steal single pages from biggest buddy", c2f6ea38fc1b). Free lists
 * always match their pageblock's type (v6.10 freelist hygiene).
 */
final class ClaimStealFallback implements FallbackPolicy {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

  @Override
  public long rmqueue(PageAllocator a, Zone zone, int order, int migratetype, int allocFlags) {
    long pfn = a.rmqueueSmallest(zone, order, migratetype);
    if (pfn >= 0) {
      return pfn;
    }
    pfn = claim(a, zone, order, migratetype, allocFlags);
    if (pfn >= 0) {
      return pfn;
    }
    if ((allocFlags & AllocFlags.NOFRAGMENT) == 0) {
      return steal(a, zone, order, migratetype);
    }
    return -1;
  }

  private static long claim(PageAllocator a, Zone zone, int order, int startMt, int flags) {
    int minOrder = order;
    if (order < Sizes.PAGEBLOCK_ORDER && (flags & AllocFlags.NOFRAGMENT) != 0) {
      minOrder = Sizes.PAGEBLOCK_ORDER;
    }
    for (int current = Sizes.MAX_ORDER; current >= minOrder; current--) {
      if (!PageAllocator.canClaim(current, startMt)) {
        break;
      }
      int fallbackMt = a.firstFallback(zone, current, startMt);
      if (fallbackMt < 0) {
        continue;
      }
      int node = a.free.first(zone.idx, current, fallbackMt);
      long pfn = tryToClaimBlock(a, zone, node, current, order, startMt, fallbackMt, flags);
      if (pfn >= 0) {
        a.traceExtfrag(pfn, order, current, startMt, fallbackMt);
        return pfn;
      }
    }
    return -1;
  }

  private static long tryToClaimBlock(
      PageAllocator a,
      Zone zone,
      int node,
      int currentOrder,
      int order,
      int startType,
      int blockType,
      int flags) {
    long pfn = a.free.pfn(node);
    if (currentOrder >= Sizes.PAGEBLOCK_ORDER) {
      a.delFromFreeList(zone, node);
      a.changePageblockRange(pfn, currentOrder, startType);
      a.expand(zone, pfn, order, currentOrder, startType);
      return pfn;
    }
    if (a.boostWatermark(zone) && (flags & AllocFlags.KSWAPD) != 0) {
      zone.boosted = true;
    }
    long counted = a.walkPageblock(zone, pfn, -1, true);
    if (counted < 0) {
      return -1;
    }
    long freePages = counted >>> 32;
    long movablePages = counted & 0xFFFFFFFFL;
    long alike;
    if (startType == MOVABLE) {
      alike = movablePages;
    } else if (blockType == MOVABLE) {
      alike = Sizes.PAGEBLOCK_NR_PAGES - (freePages + movablePages);
    } else {
      alike = 0;
    }
    if (freePages + alike >= (1 << (Sizes.PAGEBLOCK_ORDER - 1))) {
      a.walkPageblock(zone, pfn, startType, true);
      a.setPageblockMigratetype(pfn, startType);
      return a.rmqueueSmallest(zone, order, startType);
    }
    return -1;
  }

  private static long steal(PageAllocator a, Zone zone, int order, int startMt) {
    for (int current = order; current <= Sizes.MAX_ORDER; current++) {
      int fallbackMt = a.firstFallback(zone, current, startMt);
      if (fallbackMt < 0) {
        continue;
      }
      int node = a.free.first(zone.idx, current, fallbackMt);
      long pfn = a.free.pfn(node);
      a.delFromFreeList(zone, node);
      a.expand(zone, pfn, order, current, fallbackMt);
      a.traceExtfrag(pfn, order, current, startMt, fallbackMt);
      return pfn;
    }
    return -1;
  }
}
