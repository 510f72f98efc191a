package io.cvmsim.core.mm;

/**
 * {@code __rmqueue()}: takes a block of {@code order} for {@code migratetype} from a zone's free
 * lists, falling back to other migrate types' lists the way one kernel does, and reports every
 * fallback as an {@code mm_page_alloc_extfrag} event.
 */
interface FallbackPolicy {

  /** Returns the head pfn of the block taken (already off the lists and split), or -1. */
  long rmqueue(BuddyLists zone, int order, int migratetype, int allocFlags);
}
