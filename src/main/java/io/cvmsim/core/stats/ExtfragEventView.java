package io.cvmsim.core.stats;

/**
 * One {@code mm_page_alloc_extfrag} event as the tracepoint reports it.
 *
 * @param pfn the page
 * @param allocOrder the requested order
 * @param fallbackOrder the order of the block taken
 * @param allocMigratetype the requested migrate type (number)
 * @param fallbackMigratetype the migrate type it fell back to (number)
 * @param fragmenting fallback_order below pageblock_order
 * @param changeOwnership the pageblock now has the requested type
 */
public record ExtfragEventView(
    long pfn,
    int allocOrder,
    int fallbackOrder,
    int allocMigratetype,
    int fallbackMigratetype,
    boolean fragmenting,
    boolean changeOwnership) {}
