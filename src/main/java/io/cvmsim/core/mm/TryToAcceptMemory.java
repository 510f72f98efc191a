package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;

/**
 * Models 6.5's {@code try_to_accept_memory()} (mm/page_alloc.c at dcdfdd40fa82): called only after
 * a failed watermark check or a failed rmqueue; accepts at least one chunk, then more while {@code
 * high - (NR_FREE_PAGES - unusable)} stays positive, where the unusable pages include
 * NR_UNACCEPTED.
 */
final class TryToAcceptMemory implements AcceptOnDemand {

  @Override
  public boolean beforeWatermarkCheck(ParkedZone zone, int order, int allocFlags) {
    return false;
  }

  @Override
  public boolean afterFailedWatermark(ParkedZone zone, int order, int allocFlags) {
    return accept(zone, order);
  }

  @Override
  public boolean afterFailedRmqueue(ParkedZone zone, int order, int allocFlags) {
    return accept(zone, order);
  }

  private static boolean accept(ParkedZone zone, int order) {
    if (!zone.hasParked()) {
      return false;
    }
    long toAccept = zone.wmark(WatermarkLevel.HIGH) - (zone.freePages() - zone.unusableFree(order));
    boolean ret = false;
    do {
      if (!zone.acceptOne()) {
        break;
      }
      ret = true;
      toAccept -= Sizes.MAX_ORDER_NR_PAGES;
    } while (toAccept > 0);
    return ret;
  }
}
