package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;

/**
 * Models mainline's {@code cond_accept_memory()}: called on every zone visit before the watermark
 * checks and again after a failed check or rmqueue; while the promo watermark is 0 (before
 * init_per_zone_wmark_min) it accepts exactly one chunk per call (800f1059c99e); otherwise it
 * accepts chunks while {@code promo - (NR_FREE_PAGES - unusable - NR_UNACCEPTED)} stays positive,
 * possibly none. ALLOC_TRYLOCK callers never accept.
 */
final class CondAcceptMemory implements AcceptOnDemand {

  @Override
  public boolean beforeWatermarkCheck(ParkedZone zone, int order, int allocFlags) {
    return accept(zone, order, allocFlags);
  }

  @Override
  public boolean afterFailedWatermark(ParkedZone zone, int order, int allocFlags) {
    return accept(zone, order, allocFlags);
  }

  @Override
  public boolean afterFailedRmqueue(ParkedZone zone, int order, int allocFlags) {
    return accept(zone, order, allocFlags);
  }

  private static boolean accept(ParkedZone zone, int order, int allocFlags) {
    if (!zone.hasParked()) {
      return false;
    }
    if ((allocFlags & AllocFlags.TRYLOCK) != 0) {
      return false;
    }
    long wmark = zone.wmark(WatermarkLevel.PROMO);
    if (wmark == 0) {
      return zone.acceptOne();
    }
    long toAccept = wmark - (zone.freePages() - zone.unusableFree(order) - zone.unacceptedPages());
    boolean ret = false;
    while (toAccept > 0) {
      if (!zone.acceptOne()) {
        break;
      }
      ret = true;
      toAccept -= Sizes.MAX_ORDER_NR_PAGES;
    }
    return ret;
  }
}
