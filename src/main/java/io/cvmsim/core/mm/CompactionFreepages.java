package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;
import java.util.Arrays;

/**
 * The free pages compaction's free scanner isolated as migration targets ({@code cc->freepages}),
 * in the layout the kernel keeps them, which decides where each migrated page lands:
 *
 * <ul>
 *   <li>{@link Layout#SPLIT} (6.1 to v6.8): every isolated buddy block is split into order-0 pages
 *       by {@code split_map_pages()}, which reverses each block's pages onto the list's head, and
 *       {@code compaction_alloc()} takes the list's head: the highest page of the block isolated
 *       last. Only order-0 pages migrate.
 *   <li>{@link Layout#BY_ORDER} (v6.9 on, "mm/compaction: add support for >0 order folio memory
 *       compaction" and "optimize >0 order folio compaction with free page split"): one list per
 *       order, blocks appended at isolation; {@code compaction_alloc()} takes the first block of
 *       the smallest order at least the folio's, splits it and puts the upper halves at the heads
 *       of the lower lists; the folio gets the lowest part.
 * </ul>
 *
 * Blocks are named by head pfn. Not thread safe; one per compaction run.
 */
final class CompactionFreepages {

  /** How the isolated pages are kept. */
  enum Layout {
    /** Split to order-0 at isolation (split_map_pages). */
    SPLIT,
    /** Per-order lists, split on allocation. */
    BY_ORDER
  }

  private final Layout layout;

  // SPLIT: order-0 pages, top of the stack = head of the list; blocks isolated since the last split
  private long[] pages = new long[64];
  private int nrPages;
  private long[] pendingPfn = new long[16];
  private int[] pendingOrder = new int[16];
  private int nrPending;

  // BY_ORDER: a deque per order
  private final long[][] lists = new long[Sizes.NR_ORDERS][];
  private final int[] heads = new int[Sizes.NR_ORDERS];
  private final int[] sizes = new int[Sizes.NR_ORDERS];

  /** Pages held (cc->nr_freepages). */
  long nrFreepages;

  CompactionFreepages(Layout layout) {
    this.layout = layout;
    if (layout == Layout.BY_ORDER) {
      for (int o = 0; o < lists.length; o++) {
        lists[o] = new long[8];
      }
    }
  }

  /** Returns the layout. */
  Layout layout() {
    return layout;
  }

  /** Appends an isolated buddy block ({@code list_add_tail()} of the scanners). */
  void add(long pfn, int order) {
    nrFreepages += 1L << order;
    if (layout == Layout.SPLIT) {
      if (nrPending == pendingPfn.length) {
        pendingPfn = Arrays.copyOf(pendingPfn, nrPending * 2);
        pendingOrder = Arrays.copyOf(pendingOrder, nrPending * 2);
      }
      pendingPfn[nrPending] = pfn;
      pendingOrder[nrPending++] = order;
    } else {
      addTail(order, pfn);
    }
  }

  /** Models {@code split_map_pages()} at the end of {@code isolate_freepages()} (SPLIT only). */
  void splitMap() {
    if (layout != Layout.SPLIT) {
      return;
    }
    for (int b = 0; b < nrPending; b++) {
      long n = 1L << pendingOrder[b];
      for (long i = 0; i < n; i++) {
        push(pendingPfn[b] + i);
      }
    }
    nrPending = 0;
  }

  private void push(long pfn) {
    if (nrPages == pages.length) {
      pages = Arrays.copyOf(pages, nrPages * 2);
    }
    pages[nrPages++] = pfn;
  }

  /** Returns whether a block of {@code order} can be taken without isolating more. */
  boolean has(int order) {
    if (layout == Layout.SPLIT) {
      return order == 0 && nrPages > 0;
    }
    for (int o = order; o < Sizes.NR_ORDERS; o++) {
      if (sizes[o] > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Models the taking half of {@code compaction_alloc()}: returns the head pfn of a free block of
   * {@code order} (splitting a larger one in BY_ORDER), or -1 if none is held.
   */
  long take(int order) {
    if (layout == Layout.SPLIT) {
      if (order != 0 || nrPages == 0) {
        return -1;
      }
      nrFreepages--;
      return pages[--nrPages];
    }
    int start = order;
    while (start < Sizes.NR_ORDERS && sizes[start] == 0) {
      start++;
    }
    if (start == Sizes.NR_ORDERS) {
      return -1;
    }
    long pfn = takeHead(start);
    long size = 1L << start;
    while (start > order) {
      start--;
      size >>>= 1;
      addHead(start, pfn + size);
    }
    nrFreepages -= 1L << order;
    return pfn;
  }

  /** Calls {@code consumer} for every held block (pfn, order), in the order release frees them. */
  void drain(PageAllocator.BlockConsumer consumer) {
    if (layout == Layout.SPLIT) {
      for (int i = nrPages - 1; i >= 0; i--) {
        consumer.accept(pages[i], 0, 0);
      }
      nrPages = 0;
      for (int b = 0; b < nrPending; b++) {
        consumer.accept(pendingPfn[b], pendingOrder[b], 0);
      }
      nrPending = 0;
    } else {
      for (int o = 0; o < Sizes.NR_ORDERS; o++) {
        while (sizes[o] > 0) {
          consumer.accept(takeHead(o), o, 0);
        }
      }
    }
    nrFreepages = 0;
  }

  private void addTail(int o, long pfn) {
    grow(o);
    long[] l = lists[o];
    l[(heads[o] + sizes[o]) & (l.length - 1)] = pfn;
    sizes[o]++;
  }

  private void addHead(int o, long pfn) {
    grow(o);
    long[] l = lists[o];
    heads[o] = (heads[o] - 1) & (l.length - 1);
    l[heads[o]] = pfn;
    sizes[o]++;
  }

  private long takeHead(int o) {
    long[] l = lists[o];
    long pfn = l[heads[o]];
    heads[o] = (heads[o] + 1) & (l.length - 1);
    sizes[o]--;
    return pfn;
  }

  private void grow(int o) {
    long[] l = lists[o];
    if (sizes[o] < l.length) {
      return;
    }
    long[] n = new long[l.length * 2];
    for (int k = 0; k < sizes[o]; k++) {
      n[k] = l[(heads[o] + k) & (l.length - 1)];
    }
    lists[o] = n;
    heads[o] = 0;
  }
}
