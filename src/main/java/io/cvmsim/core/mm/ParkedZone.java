package io.cvmsim.core.mm;

import io.cvmsim.core.memory.WatermarkLevel;

/**
 * One zone as accept-on-demand sees it: its parked unaccepted chunks, the counters and watermarks
 * {@code cond_accept_memory()} / {@code try_to_accept_memory()} read, and {@code
 * try_to_accept_memory_one()}.
 */
interface ParkedZone {

  /** Returns whether the zone has parked chunks (has_unaccepted_memory() for this zone). */
  boolean hasParked();

  /** Returns wmark_pages(zone, level): the watermark plus the boost. */
  long wmark(WatermarkLevel level);

  /** Returns NR_FREE_PAGES (parked chunks included). */
  long freePages();

  /** Returns NR_UNACCEPTED. */
  long unacceptedPages();

  /** Returns {@code __zone_watermark_unusable_free(zone, order, 0)}. */
  long unusableFree(int order);

  /**
   * Models {@code try_to_accept_memory_one()}: accepts the first parked chunk and frees it to the
   * buddy lists; returns false if none was parked.
   */
  boolean acceptOne();
}
