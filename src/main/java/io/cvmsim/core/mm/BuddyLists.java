package io.cvmsim.core.mm;

/**
 * One zone's free lists, pageblocks, watermark boost and extfrag tracepoint, as a {@link
 * FallbackPolicy} may use them: the helpers of mm/page_alloc.c that {@code __rmqueue_fallback()},
 * {@code __rmqueue_claim()} and {@code __rmqueue_steal()} call. Blocks are named by their head pfn.
 */
interface BuddyLists {

  /** Models {@code __rmqueue_smallest()}: returns the head pfn taken and split, or -1. */
  long rmqueueSmallest(int order, int mt);

  /**
   * Returns the first migrate type of {@code fallbacks[startMt]} with a free block of exactly
   * {@code order} (find_suitable_fallback() without its claim test), or -1.
   */
  int findFallback(int order, int startMt);

  /** Returns the head pfn of the first block on {@code free_area[order].free_list[mt]}. */
  long firstFree(int order, int mt);

  /** Models {@code del_page_from_free_list()} for the free block whose head is {@code pfn}. */
  void delFromFreeList(long pfn);

  /** Models {@code expand()}: puts the upper halves of a split block on {@code mt}'s lists. */
  void expand(long pfn, int low, int high, int mt);

  /** Models {@code move_to_free_list()} for the free block whose head is {@code pfn}. */
  void moveToFreeList(long pfn, int mt);

  /**
   * Models {@code prep_move_freepages_block()}: counts the free and movable pages of the pageblock
   * of {@code pfn}. Returns null if the pageblock leaves the zone and {@code strictSpan}; without
   * it (6.5) a pageblock that starts below the zone is counted from {@code pfn}, and one that ends
   * above it counts as empty.
   */
  PageblockScan scanPageblock(long pfn, boolean strictSpan);

  /** Models {@code move_freepages_block()}: moves every free block of the pageblock to mt. */
  void moveFreePages(long pfn, int mt, boolean strictSpan);

  /** Returns the pageblock's migrate type. */
  int pageblockType(long pfn);

  /** Sets the pageblock's migrate type. */
  void setPageblockType(long pfn, int mt);

  /** Sets the type of every pageblock a block of {@code order} covers. */
  void changePageblockRange(long pfn, int order, int mt);

  /** Models {@code boost_watermark()}, flagging the zone for kswapd with ALLOC_KSWAPD. */
  void boostWatermark(int allocFlags);

  /** Emits {@code mm_page_alloc_extfrag}; change_ownership is read as the event fires. */
  void traceExtfrag(long pfn, int allocOrder, int fallbackOrder, int allocMt, int fallbackMt);
}
