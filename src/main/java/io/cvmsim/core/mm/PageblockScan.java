package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;

/**
 * What {@code prep_move_freepages_block()} counts in one pageblock: its free pages, and its in-use
 * pages that are on an LRU list (movable by compaction).
 *
 * @param freePages pages in free buddy blocks of the pageblock
 * @param movablePages pages of live LRU allocations in the pageblock
 */
record PageblockScan(long freePages, long movablePages) {

  /** Returns the pages counted as alike by the claim heuristic for {@code startType}. */
  long alike(int startType, int blockType) {
    if (startType == Buddy.MOVABLE) {
      return movablePages;
    }
    if (blockType == Buddy.MOVABLE) {
      return Sizes.PAGEBLOCK_NR_PAGES - (freePages + movablePages);
    }
    return 0;
  }

  /** Returns whether at least half the pageblock is free or alike: it changes owner. */
  boolean claims(int startType, int blockType) {
    return freePages + alike(startType, blockType) >= (1 << (Sizes.PAGEBLOCK_ORDER - 1));
  }
}
