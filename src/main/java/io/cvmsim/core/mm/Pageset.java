package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import java.util.Arrays;

/**
 * Models {@code struct per_cpu_pages}: one CPU's cache of free blocks of one zone, a list per
 * migrate type and order (orders 0 to PAGE_ALLOC_COSTLY_ORDER and the THP order), the pages they
 * hold ({@code count}), when they are freed back in bulk ({@code high}, {@code batch}), and the
 * counters the kernels use to size their bulk operations. Each list is a deque of packed entries
 * (pfn, and the migrate type the block carries back to the buddy lists): allocation and freeing
 * work at its head, refills append at its tail and drains take from its tail, as list_add(),
 * list_add_tail() and list_last_entry() do. Not thread safe.
 */
final class Pageset {

  /** PAGE_ALLOC_COSTLY_ORDER. */
  static final int COSTLY_ORDER = 3;

  /** NR_LOWORDER_PCP_LISTS: a list per migrate type for each order up to the costly order. */
  static final int LOW_LISTS = MigrateType.PCPTYPES * (COSTLY_ORDER + 1);

  private static final int MT_BITS = 3;

  /** The pages on all lists (pcp->count). */
  int count;

  /** pcp->high: the count at which a free sends pages back. */
  int high;

  /** pcp->high_min and pcp->high_max (equal where high does not adapt). */
  int highMin;

  int highMax;

  /** pcp->batch. */
  int batch;

  /** 6.1–6.6: pcp->free_factor; 6.7+: pcp->free_count. */
  int freeCount;

  /** 6.7+: pcp->alloc_factor. */
  int allocFactor;

  /** 6.7+: PCPF_PREV_FREE_HIGH_ORDER. */
  boolean prevFreeHighOrder;

  private final long[][] lists;
  private final int[] heads;
  private final int[] sizes;

  Pageset(int lists) {
    this.lists = new long[lists][];
    this.heads = new int[lists];
    this.sizes = new int[lists];
    for (int i = 0; i < lists; i++) {
      this.lists[i] = new long[8];
    }
  }

  /** Returns the number of lists. */
  int lists() {
    return lists.length;
  }

  /** Returns the blocks on list {@code i}. */
  int size(int i) {
    return sizes[i];
  }

  static long pack(long pfn, int mt) {
    return pfn << MT_BITS | mt;
  }

  static long pfnOf(long entry) {
    return entry >>> MT_BITS;
  }

  static int mtOf(long entry) {
    return (int) (entry & ((1 << MT_BITS) - 1));
  }

  /** list_add(): puts an entry at the head of list {@code i}. */
  void addHead(int i, long entry) {
    grow(i);
    long[] l = lists[i];
    heads[i] = (heads[i] - 1) & (l.length - 1);
    l[heads[i]] = entry;
    sizes[i]++;
  }

  /** list_add_tail(): puts an entry at the tail of list {@code i}. */
  void addTail(int i, long entry) {
    grow(i);
    long[] l = lists[i];
    l[(heads[i] + sizes[i]) & (l.length - 1)] = entry;
    sizes[i]++;
  }

  /** Takes the entry at the head of list {@code i} (list_first_entry); the list is not empty. */
  long takeHead(int i) {
    long[] l = lists[i];
    long e = l[heads[i]];
    heads[i] = (heads[i] + 1) & (l.length - 1);
    sizes[i]--;
    return e;
  }

  /** Takes the entry at the tail of list {@code i} (list_last_entry); the list is not empty. */
  long takeTail(int i) {
    long[] l = lists[i];
    sizes[i]--;
    return l[(heads[i] + sizes[i]) & (l.length - 1)];
  }

  /** Returns the entry at position {@code k} of list {@code i}, from the head. */
  long get(int i, int k) {
    long[] l = lists[i];
    return l[(heads[i] + k) & (l.length - 1)];
  }

  private void grow(int i) {
    long[] l = lists[i];
    if (sizes[i] < l.length) {
      return;
    }
    long[] n = new long[l.length * 2];
    for (int k = 0; k < sizes[i]; k++) {
      n[k] = l[(heads[i] + k) & (l.length - 1)];
    }
    lists[i] = n;
    heads[i] = 0;
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    long b = 64;
    for (long[] l : lists) {
      b += 16 + 8L * l.length;
    }
    return b;
  }

  /** Returns the order the blocks of list {@code i} have. */
  static int orderOf(int i) {
    return i < LOW_LISTS ? i / MigrateType.PCPTYPES : Sizes.PAGEBLOCK_ORDER;
  }

  @Override
  public String toString() {
    return "Pageset[count="
        + count
        + ", high="
        + high
        + ", batch="
        + batch
        + ", lists="
        + Arrays.toString(sizes)
        + "]";
  }
}
