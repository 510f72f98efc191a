package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import java.util.Arrays;

/**
 * The migrate type of every pageblock (the pageblock flags of mm/page_alloc.c), stored sparsely:
 * pages of 4096 pageblocks (8 GiB of guest memory) are allocated when a pageblock in them is first
 * set to something other than the boot default, MOVABLE. Not thread safe.
 */
final class PageblockTypes {

  private static final int PAGE_SHIFT = 12;
  private static final int PAGE = 1 << PAGE_SHIFT;
  private static final byte DEFAULT = (byte) MigrateType.MOVABLE.ordinal();

  private final byte[][] pages;
  private long nonDefault;

  PageblockTypes(long endPfn) {
    long blocks = (endPfn >>> Sizes.PAGEBLOCK_ORDER) + 1;
    pages = new byte[(int) ((blocks + PAGE - 1) >>> PAGE_SHIFT)][];
  }

  /** Returns the migrate type (ordinal) of the pageblock holding {@code pfn}. */
  int get(long pfn) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    byte[] p = pages[(int) (pb >>> PAGE_SHIFT)];
    return p == null ? DEFAULT : p[(int) (pb & (PAGE - 1))];
  }

  /** Sets the migrate type of the pageblock holding {@code pfn}. */
  void set(long pfn, int mt) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    int pi = (int) (pb >>> PAGE_SHIFT);
    byte[] p = pages[pi];
    if (p == null) {
      if (mt == DEFAULT) {
        return;
      }
      p = new byte[PAGE];
      Arrays.fill(p, DEFAULT);
      pages[pi] = p;
    }
    int i = (int) (pb & (PAGE - 1));
    if (p[i] == DEFAULT && mt != DEFAULT) {
      nonDefault++;
    } else if (p[i] != DEFAULT && mt == DEFAULT) {
      nonDefault--;
    }
    p[i] = (byte) mt;
  }

  /** Returns the number of pageblocks of a type other than MOVABLE. */
  long nonDefaultCount() {
    return nonDefault;
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    long b = 16L + 8L * pages.length;
    for (byte[] p : pages) {
      if (p != null) {
        b += 16 + PAGE;
      }
    }
    return b;
  }
}
