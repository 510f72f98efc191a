package io.cvmsim.core.mm;

import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.MigrateType;

/**
 * What the kernel keeps in the struct pages of allocated memory that the simulator needs: for the
 * head pfn of every live allocation its order and migrate type, packed in an int, and the pages
 * held per migrate type. A pfn that is not a head has no entry. Not thread safe.
 */
final class LiveAllocations {

  private static final int ORDER_MASK = 0xF;
  private static final int MT_SHIFT = 4;
  private static final int OWNED = 1 << 8;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

  private final LongIntMap heads = new LongIntMap(1024);
  private final long[] pagesByMt = new long[MigrateType.COUNT];

  /** Records a new allocation. */
  void add(long pfn, int order, int mt) {
    heads.put(pfn, order | mt << MT_SHIFT);
    pagesByMt[mt] += 1L << order;
  }

  /**
   * Marks the allocation whose head is {@code pfn} as owned by the page cache or an anonymous
   * mapping ({@link PageCache}): only its owner frees it.
   */
  void own(long pfn) {
    heads.put(pfn, heads.get(pfn, 0) | OWNED);
  }

  /** Returns whether packed info belongs to an allocation the page cache owns. */
  static boolean isOwned(int info) {
    return (info & OWNED) != 0;
  }

  /** Removes the allocation whose head is {@code pfn}; returns its packed info or -1. */
  int remove(long pfn) {
    int info = heads.remove(pfn, -1);
    if (info >= 0) {
      pagesByMt[migratetype(info)] -= 1L << order(info);
    }
    return info;
  }

  /** Returns the packed info of the allocation whose head is {@code pfn}, or -1. */
  int info(long pfn) {
    return heads.get(pfn, -1);
  }

  /** Returns the order in packed info. */
  static int order(int info) {
    return info & ORDER_MASK;
  }

  /** Returns the migrate type in packed info. */
  static int migratetype(int info) {
    return (info >>> MT_SHIFT) & ORDER_MASK;
  }

  /** Returns whether the pages are on an LRU list (PageLRU): movable user memory. */
  static boolean isLru(int info) {
    return migratetype(info) == MOVABLE;
  }

  /** Returns the number of live allocations. */
  int size() {
    return heads.size();
  }

  /** Returns the pages held in allocations of a migrate type. */
  long pages(int mt) {
    return pagesByMt[mt];
  }

  /** Calls {@code consumer} for every live allocation (head pfn, order, migrate type). */
  void forEach(PageAllocator.BlockConsumer consumer) {
    heads.forEach((pfn, info) -> consumer.accept(pfn, order(info), migratetype(info)));
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return heads.heapBytes() + 8L * pagesByMt.length;
  }
}
