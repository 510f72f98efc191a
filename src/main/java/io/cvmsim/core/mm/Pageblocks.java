package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import java.util.Arrays;

/**
 * The migrate type of every pageblock (the pageblock flags of mm/page_alloc.c) and how many
 * pageblocks of each type each zone has, as /proc/pagetypeinfo counts them. Types are stored
 * sparsely: pages of 4096 pageblocks (8 GiB of guest memory) are allocated when a pageblock in them
 * is first set to something other than the boot default, MOVABLE. Not thread safe.
 */
final class Pageblocks {

  private static final int PAGE_SHIFT = 12;
  private static final int PAGE = 1 << PAGE_SHIFT;
  private static final byte DEFAULT = (byte) MigrateType.MOVABLE.ordinal();

  private final byte[][] pages;
  private final long[][] counts = new long[ZoneType.COUNT][MigrateType.COUNT];

  /** Creates the flags for pfns below {@code endPfn}, every pageblock MOVABLE. */
  Pageblocks(long endPfn) {
    long blocks = (endPfn >>> Sizes.PAGEBLOCK_ORDER) + 1;
    pages = new byte[(int) ((blocks + PAGE - 1) >>> PAGE_SHIFT)][];
  }

  /** Counts {@code n} MOVABLE pageblocks of a zone (memmap_init_range at boot). */
  void addInitial(ZoneType zone, long n) {
    counts[zone.ordinal()][DEFAULT] += n;
  }

  /** Models {@code get_pageblock_migratetype()}. */
  int get(long pfn) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    byte[] p = pages[(int) (pb >>> PAGE_SHIFT)];
    return p == null ? DEFAULT : p[(int) (pb & (PAGE - 1))];
  }

  /** Models {@code set_pageblock_migratetype()}, keeping the per-zone counts. */
  void set(long pfn, int mt) {
    long pb = pfn >>> Sizes.PAGEBLOCK_ORDER;
    int pi = (int) (pb >>> PAGE_SHIFT);
    byte[] p = pages[pi];
    int old = p == null ? DEFAULT : p[(int) (pb & (PAGE - 1))];
    if (old == mt) {
      return;
    }
    if (p == null) {
      p = new byte[PAGE];
      Arrays.fill(p, DEFAULT);
      pages[pi] = p;
    }
    p[(int) (pb & (PAGE - 1))] = (byte) mt;
    long[] zone = counts[ZoneType.ofPfn(pfn).ordinal()];
    zone[old]--;
    zone[mt]++;
  }

  /** Models {@code change_pageblock_range()}: every pageblock of a block of {@code order}. */
  void setRange(long pfn, int order, int mt) {
    long n = Math.max(1, (1L << order) >>> Sizes.PAGEBLOCK_ORDER);
    for (long i = 0; i < n; i++) {
      set(pfn + i * Sizes.PAGEBLOCK_NR_PAGES, mt);
    }
  }

  /**
   * Calls {@code consumer} for every pageblock whose type is not the boot default, MOVABLE, in
   * ascending order: (its first pfn, {@code PAGEBLOCK_ORDER}, its type). For snapshots.
   */
  void forEachNotMovable(PageAllocator.BlockConsumer consumer) {
    for (int pi = 0; pi < pages.length; pi++) {
      byte[] p = pages[pi];
      if (p == null) {
        continue;
      }
      for (int i = 0; i < PAGE; i++) {
        if (p[i] != DEFAULT) {
          long pb = ((long) pi << PAGE_SHIFT) + i;
          consumer.accept(pb << Sizes.PAGEBLOCK_ORDER, Sizes.PAGEBLOCK_ORDER, p[i]);
        }
      }
    }
  }

  /** Returns the pfn after the last pageblock these flags hold. */
  long endPfn() {
    return ((long) pages.length << PAGE_SHIFT) << Sizes.PAGEBLOCK_ORDER;
  }

  /** Returns a copy of a zone's pageblock counts per migrate type. */
  long[] counts(int zone) {
    return counts[zone].clone();
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    long b = 16L + 8L * pages.length + 8L * ZoneType.COUNT * MigrateType.COUNT;
    for (byte[] p : pages) {
      if (p != null) {
        b += 16 + PAGE;
      }
    }
    return b;
  }
}
