package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;

/**
 * One {@code kmem:mm_page_alloc_extfrag} event with the tracepoint's fields
 * (include/trace/events/kmem.h).
 *
 * @param pfn the page the event names
 * @param allocOrder the order requested
 * @param fallbackOrder the order of the block taken from another migrate type
 * @param allocMigratetype the migrate type requested
 * @param fallbackMigratetype the migrate type of the list the block came from
 * @param changeOwnership whether the pageblock now has the requested type
 */
record ExtfragEvent(
    long pfn,
    int allocOrder,
    int fallbackOrder,
    int allocMigratetype,
    int fallbackMigratetype,
    boolean changeOwnership) {

  /** Returns the tracepoint's fragmenting field: fallback_order < pageblock_order. */
  boolean fragmenting() {
    return fallbackOrder < Sizes.PAGEBLOCK_ORDER;
  }
}
