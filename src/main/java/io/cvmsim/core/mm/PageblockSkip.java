package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;

/**
 * Models the PB_migrate_skip pageblock flag ({@code get_pageblock_skip()}, {@code
 * set_pageblock_skip()}, {@code clear_pageblock_skip()}, include/linux/pageblock-flags.h): the hint
 * compaction leaves on a pageblock in which its scanners recently found nothing to isolate, so the
 * next pass skips it until the hints are flushed ({@link Compaction#resetIsolationSuitable}). One
 * bit per pageblock, stored sparsely: a page of 4096 bits (8 GiB of guest memory) exists only once
 * a bit in it was set. Not thread safe.
 */
final class PageblockSkip {

  private static final int PAGE_SHIFT = 12;
  private static final int PAGE = 1 << PAGE_SHIFT;
  private static final int WORDS = PAGE / 64;

  private final long[][] pages;
  private long set;

  /** Creates the flags for the pageblocks below {@code endPfn}, all clear. */
  PageblockSkip(long endPfn) {
    long blocks = (endPfn >>> Sizes.PAGEBLOCK_ORDER) + 1;
    pages = new long[(int) ((blocks + PAGE - 1) >>> PAGE_SHIFT)][];
  }

  /** Models {@code get_pageblock_skip()} for the pageblock of {@code pfn}. */
  boolean get(long pfn) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    int pi = (int) (pb >>> PAGE_SHIFT);
    if (pi >= pages.length) {
      return false;
    }
    long[] p = pages[pi];
    int bit = (int) (pb & (PAGE - 1));
    return p != null && (p[bit >>> 6] & (1L << bit)) != 0;
  }

  /** Models {@code set_pageblock_skip()}. */
  void set(long pfn) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    int pi = (int) (pb >>> PAGE_SHIFT);
    if (pi >= pages.length) {
      return;
    }
    long[] p = pages[pi];
    if (p == null) {
      p = new long[WORDS];
      pages[pi] = p;
    }
    int bit = (int) (pb & (PAGE - 1));
    long mask = 1L << bit;
    if ((p[bit >>> 6] & mask) == 0) {
      p[bit >>> 6] |= mask;
      set++;
    }
  }

  /** Models {@code clear_pageblock_skip()}. */
  void clear(long pfn) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    int pi = (int) (pb >>> PAGE_SHIFT);
    if (pi >= pages.length || pages[pi] == null) {
      return;
    }
    long[] p = pages[pi];
    int bit = (int) (pb & (PAGE - 1));
    long mask = 1L << bit;
    if ((p[bit >>> 6] & mask) != 0) {
      p[bit >>> 6] &= ~mask;
      set--;
    }
  }

  /**
   * Returns the first pfn of the first pageblock at or after the one of {@code fromPfn} and before
   * {@code toPfn} whose hint is set, or -1.
   */
  long nextSet(long fromPfn, long toPfn) {
    if (set == 0 || fromPfn >= toPfn) {
      return -1;
    }
    long pb = fromPfn >>> Sizes.PAGEBLOCK_ORDER;
    long lastPb = (toPfn - 1) >>> Sizes.PAGEBLOCK_ORDER;
    while (pb <= lastPb) {
      int pi = (int) (pb >>> PAGE_SHIFT);
      if (pi >= pages.length) {
        return -1;
      }
      long[] p = pages[pi];
      if (p == null) {
        pb = (long) (pi + 1) << PAGE_SHIFT;
        continue;
      }
      int bit = (int) (pb & (PAGE - 1));
      int w = bit >>> 6;
      long word = p[w] & (-1L << (bit & 63));
      while (true) {
        if (word != 0) {
          long found = ((long) pi << PAGE_SHIFT) + (w << 6) + Long.numberOfTrailingZeros(word);
          return found <= lastPb ? found << Sizes.PAGEBLOCK_ORDER : -1;
        }
        if (++w == WORDS) {
          break;
        }
        word = p[w];
      }
      pb = (long) (pi + 1) << PAGE_SHIFT;
    }
    return -1;
  }

  /** Returns how many pageblocks have the hint set. */
  long count() {
    return set;
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    long b = 24L + 8L * pages.length;
    for (long[] p : pages) {
      if (p != null) {
        b += 16 + 8L * WORDS;
      }
    }
    return b;
  }
}
