package io.cvmsim.core.mm;

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

  @Override
  public long rmqueue(BuddyLists zone, int order, int migratetype, int allocFlags) {
    long pfn = zone.rmqueueSmallest(order, migratetype);
    if (pfn >= 0) {
      return pfn;
    }
    pfn = claim(zone, order, migratetype, allocFlags);
    if (pfn >= 0) {
      return pfn;
    }
    if ((allocFlags & AllocFlags.NOFRAGMENT) == 0) {
      return steal(zone, order, migratetype);
    }
    return -1;
  }

  /** Models {@code __rmqueue_claim()}. */
  private static long claim(BuddyLists zone, int order, int startMt, int flags) {
    int minOrder = order;
    if (order < Sizes.PAGEBLOCK_ORDER && (flags & AllocFlags.NOFRAGMENT) != 0) {
      minOrder = Sizes.PAGEBLOCK_ORDER;
    }
    for (int current = Sizes.MAX_ORDER; current >= minOrder; current--) {
      if (!Buddy.canClaim(current, startMt)) {
        break;
      }
      int fallbackMt = zone.findFallback(current, startMt);
      if (fallbackMt < 0) {
        continue;
      }
      long block = zone.firstFree(current, fallbackMt);
      long pfn = tryToClaimBlock(zone, block, current, order, startMt, fallbackMt, flags);
      if (pfn >= 0) {
        zone.traceExtfrag(pfn, order, current, startMt, fallbackMt);
        return pfn;
      }
    }
    return -1;
  }

  /** Models {@code try_to_claim_block()}. */
  private static long tryToClaimBlock(
      BuddyLists zone,
      long pfn,
      int currentOrder,
      int order,
      int startType,
      int blockType,
      int flags) {
    if (currentOrder >= Sizes.PAGEBLOCK_ORDER) {
      zone.delFromFreeList(pfn);
      zone.changePageblockRange(pfn, currentOrder, startType);
      zone.expand(pfn, order, currentOrder, startType);
      return pfn;
    }
    zone.boostWatermark(flags);
    PageblockScan scan = zone.scanPageblock(pfn, true);
    if (scan == null) {
      return -1;
    }
    if (scan.claims(startType, blockType)) {
      zone.moveFreePages(pfn, startType, true);
      zone.setPageblockType(pfn, startType);
      return zone.rmqueueSmallest(order, startType);
    }
    return -1;
  }

  /** Models {@code __rmqueue_steal()}. */
  private static long steal(BuddyLists zone, int order, int startMt) {
    for (int current = order; current <= Sizes.MAX_ORDER; current++) {
      int fallbackMt = zone.findFallback(current, startMt);
      if (fallbackMt < 0) {
        continue;
      }
      long pfn = zone.firstFree(current, fallbackMt);
      zone.delFromFreeList(pfn);
      zone.expand(pfn, order, current, fallbackMt);
      zone.traceExtfrag(pfn, order, current, startMt, fallbackMt);
      return pfn;
    }
    return -1;
  }
}
