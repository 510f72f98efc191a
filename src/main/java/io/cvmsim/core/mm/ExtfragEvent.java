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
public record ExtfragEvent(
    long pfn,
    int allocOrder,
    int fallbackOrder,
    int allocMigratetype,
    int fallbackMigratetype,
    boolean changeOwnership) {

  /** Returns the tracepoint's fragmenting field: fallback_order < pageblock_order. */
  public boolean fragmenting() {
    return fallbackOrder < Sizes.PAGEBLOCK_ORDER;
  }

  /** Returns the event as the tracepoint prints it (with page=%p hashed to 0). */
  public String format() {
    return String.format(
        "page=%s pfn=0x%x alloc_order=%d fallback_order=%d pageblock_order=%d"
            + " alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
        "0000000000000000",
        pfn,
        allocOrder,
        fallbackOrder,
        Sizes.PAGEBLOCK_ORDER,
        allocMigratetype,
        fallbackMigratetype,
        fragmenting() ? 1 : 0,
        changeOwnership ? 1 : 0);
  }
}
