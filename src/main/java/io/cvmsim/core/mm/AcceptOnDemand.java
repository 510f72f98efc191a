package io.cvmsim.core.mm;

/**
 * Where and how much {@code get_page_from_freelist()} accepts of a zone's parked chunks. Each hook
 * returns whether it accepted anything (then the caller goes straight to rmqueue).
 */
interface AcceptOnDemand {

  /** Called for every zone visited, before any watermark check. */
  boolean beforeWatermarkCheck(PageAllocator a, Zone zone, int order, int allocFlags);

  /** Called when the zone failed its watermark check. */
  boolean afterFailedWatermark(PageAllocator a, Zone zone, int order, int allocFlags);

  /** Called when rmqueue found nothing in a zone that passed its watermark check. */
  boolean afterFailedRmqueue(PageAllocator a, Zone zone, int order, int allocFlags);
}
