package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.PfnMap;

/**
 * What the kernel keeps in the struct pages of allocated memory that the simulator needs: for the
 * head pfn of every live allocation its order, migrate type and the batch (the API request) that
 * made it, packed in the 23-bit value of a {@link PfnMap} slot (8 bytes, at most half full), and
 * the pages held per migrate type. A pfn that is not a head has no entry. Not thread safe.
 *
 * <p>Packing: order in bits 0-3, migrate type in bits 4-6, owned by the page cache or an anonymous
 * mapping in bit 8 ({@link #own}), the batch's slot in bits 10-21; bits 7 and 9 are free. The batch
 * tag lives in the head's packed info, and the guest's batches list their blocks by the pfn each
 * had when allocated, so whatever moves an allocation to another pfn (migration, not modeled yet)
 * must carry the info over to the new head and keep the block reachable under the pfn it was
 * allocated at (its handle).
 */
final class LiveAllocations {

  /** The largest batch tag (12 bits); 0 is "no batch". */
  static final int MAX_BATCH = (1 << 12) - 1;

  private static final int ORDER_MASK = 0xF;
  private static final int MT_SHIFT = 4;
  private static final int MT_MASK = 0x7;
  private static final int BATCH_SHIFT = 10;
  private static final int OWNED = 1 << 8;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

  static {
    if (MigrateType.COUNT > MT_MASK + 1 || (MAX_BATCH << BATCH_SHIFT) > PfnMap.MAX_VALUE) {
      throw new IllegalStateException("migrate types or batch tags outgrew their bits");
    }
  }

  private final PfnMap heads = new PfnMap();
  private final long[] pagesByMt = new long[MigrateType.COUNT];
  private int batch;

  /** Tags the allocations added from now on with {@code batch} (0: none). */
  void tagWith(int batch) {
    if (batch < 0 || batch > MAX_BATCH) {
      throw new IllegalArgumentException("batch tag " + batch + " out of range");
    }
    this.batch = batch;
  }

  /** Records a new allocation, tagged with the current batch. */
  void add(long pfn, int order, int mt) {
    heads.put(pfn, order | mt << MT_SHIFT | batch << BATCH_SHIFT);
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
    return (info >>> MT_SHIFT) & MT_MASK;
  }

  /** Returns the batch tag in packed info (0: none). */
  static int batch(int info) {
    return info >>> BATCH_SHIFT;
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

  /**
   * Checks the map's structure, that every batch tag fits {@link #MAX_BATCH}, and that the pages
   * held per migrate type add up from the allocations.
   *
   * @throws IllegalStateException naming the first broken invariant
   */
  void checkInvariants() {
    heads.checkInvariants();
    long[] pages = new long[MigrateType.COUNT];
    heads.forEach(
        (pfn, info) -> {
          if (batch(info) > MAX_BATCH || migratetype(info) >= MigrateType.COUNT) {
            throw new IllegalStateException("allocation " + pfn + " has bad info " + info);
          }
          pages[migratetype(info)] += 1L << order(info);
        });
    for (int mt = 0; mt < MigrateType.COUNT; mt++) {
      if (pages[mt] != pagesByMt[mt]) {
        throw new IllegalStateException(
            "allocations of migrate type "
                + mt
                + " hold "
                + pages[mt]
                + " pages, counted "
                + pagesByMt[mt]);
      }
    }
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return heads.heapBytes() + 8L * pagesByMt.length;
  }
}
