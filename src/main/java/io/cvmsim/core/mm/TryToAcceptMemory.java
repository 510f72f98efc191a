package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;

/**
 * Models 6.5's {@code try_to_accept_memory()} (mm/page_alloc.c at dcdfdd40fa82): called only after
 * a failed watermark check or a failed rmqueue; accepts at least one chunk, then more while {@code
 * high - (NR_FREE_PAGES - unusable)} stays positive, where the unusable pages include
 * NR_UNACCEPTED.
 */
final class TryToAcceptMemory implements AcceptOnDemand {

  @Override
  public boolean beforeWatermarkCheck(PageAllocator a, Zone zone, int order, int allocFlags) {
    return false;
  }

  @Override
  public boolean afterFailedWatermark(PageAllocator a, Zone zone, int order, int allocFlags) {
    return accept(a, zone, order);
  }

  @Override
  public boolean afterFailedRmqueue(PageAllocator a, Zone zone, int order, int allocFlags) {
    return accept(a, zone, order);
  }

  private static boolean accept(PageAllocator a, Zone zone, int order) {
    if (zone.parked.isEmpty()) {
      return false;
    }
    long toAccept =
        zone.wmark(AllocFlags.WMARK_HIGH)
            - (zone.nrFreePages - a.watermarkUnusableFree(zone, order, 0));
    boolean ret = false;
    do {
      if (!a.tryToAcceptMemoryOne(zone)) {
        break;
      }
      ret = true;
      toAccept -= Sizes.MAX_ORDER_NR_PAGES;
    } while (toAccept > 0);
    return ret;
  }
}
