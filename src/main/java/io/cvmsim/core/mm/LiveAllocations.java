package io.cvmsim.core.mm;

import io.cvmsim.core.memory.LongLongMap;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.PfnMap;

/**
 * What the kernel keeps in the struct pages of allocated memory that the simulator needs, and the
 * name each allocation's owner holds it by.
 *
 * <p>State: for the head pfn of every live allocation its order, migrate type, whether it is a
 * compound page (__GFP_COMP), whether the page cache or an anonymous mapping owns it (only its
 * owner frees it), whether it migrated, and the batch (the API request) that made it, packed in the
 * 23-bit value of a {@link PfnMap} slot (8 bytes, at most half full); the pages held per migrate
 * type. A pfn that is not a head has no entry. Packing: order in bits 0-3, migrate type in bits
 * 4-6, compound in bit 7, owned in bit 8 ({@link #own}), migrated in bit 9, the batch's slot in
 * bits 10-21. Migration carries all of it to the new head ({@link #move}), so a batch still finds
 * its blocks by their handles.
 *
 * <p>Handles: an allocation is freed by the handle it was given, which is its head pfn at the time
 * it was allocated. Compaction migrates movable allocations ({@link #move}): the block's head pfn
 * changes, its handle does not, so an owner that keeps handles (a workload's table, the trace
 * replayer's map from the kernel's pfns, the API's caller) frees the right pages without being
 * told. Only migrated blocks cost more: two map entries linking the handle and the current pfn. A
 * new allocation whose pfn is still the handle of a migrated block gets a fresh handle above every
 * pfn: tags count down from the largest key of a {@link PfnMap} (2^40 - 1) and are all at or above
 * {@link #TAG_FLOOR} (2^39, a pfn no guest reaches), so a handle still fits the 40 bits the guest's
 * batches keep per block. With no migrated block alive, allocating and freeing cost one hash
 * operation each, as before.
 *
 * <p>Not thread safe.
 */
final class LiveAllocations {

  /** The lowest handle that may be a tag rather than a pfn (2^39 pages: 2 PiB of memory). */
  static final long TAG_FLOOR = 1L << 39;

  /** The largest batch tag (12 bits); 0 is "no batch". */
  static final int MAX_BATCH = (1 << 12) - 1;

  private static final int ORDER_MASK = 0xF;
  private static final int MT_SHIFT = 4;
  private static final int MT_MASK = 0x7;
  private static final int COMPOUND = 1 << 7;
  private static final int OWNED = 1 << 8;
  private static final int MOVED = 1 << 9;
  private static final int BATCH_SHIFT = 10;
  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

  static {
    if (MigrateType.COUNT > MT_MASK + 1 || (MAX_BATCH << BATCH_SHIFT) > PfnMap.MAX_VALUE) {
      throw new IllegalStateException("migrate types or batch tags outgrew their bits");
    }
  }

  private final PfnMap heads = new PfnMap();
  private final LongLongMap pfnOfHandle = new LongLongMap(16);
  private final LongLongMap handleOfPfn = new LongLongMap(16);
  private final long[] pagesByMt = new long[MigrateType.COUNT];
  private long nextTag = PfnMap.MAX_KEY;
  private long removedPfn = -1;
  private int batch;

  /** Tags the allocations added from now on with {@code batch} (0: none). */
  void tagWith(int batch) {
    if (batch < 0 || batch > MAX_BATCH) {
      throw new IllegalArgumentException("batch tag " + batch + " out of range");
    }
    this.batch = batch;
  }

  /** Records a new allocation at {@code pfn}, tagged with the current batch; returns its handle. */
  long add(long pfn, int order, int mt, boolean compound) {
    int info = order | mt << MT_SHIFT | (compound ? COMPOUND : 0) | batch << BATCH_SHIFT;
    pagesByMt[mt] += 1L << order;
    if (pfnOfHandle.size() == 0 || !pfnOfHandle.containsKey(pfn)) {
      heads.put(pfn, info);
      return pfn;
    }
    // pfn still names a migrated block: this one gets a handle of its own
    long tag;
    do {
      tag = nextTag--;
      if (tag < TAG_FLOOR) {
        throw new IllegalStateException("no handle left for a new allocation at pfn " + pfn);
      }
    } while (pfnOfHandle.containsKey(tag));
    heads.put(pfn, info | MOVED);
    pfnOfHandle.put(tag, pfn);
    handleOfPfn.put(pfn, tag);
    return tag;
  }

  /**
   * Marks the allocation named by {@code handle} as owned by the page cache or an anonymous mapping
   * ({@link PageCache}): only its owner frees it. The mark moves with the block when compaction
   * migrates it ({@link #move}).
   */
  void own(long handle) {
    long pfn = pfnOf(handle);
    heads.put(pfn, heads.get(pfn, 0) | OWNED);
  }

  /** Returns whether packed info belongs to an allocation the page cache owns. */
  static boolean isOwned(int info) {
    return (info & OWNED) != 0;
  }

  /** Returns the packed info of the allocation named by {@code handle}, or -1 if there is none. */
  int infoOfHandle(long handle) {
    if (pfnOfHandle.size() != 0) {
      long moved = pfnOfHandle.get(handle, -1);
      if (moved >= 0) {
        return heads.get(moved, -1);
      }
    }
    if (handle >= TAG_FLOOR || handle < 0) {
      return -1;
    }
    int info = heads.get(handle, -1);
    return info < 0 || (info & MOVED) != 0 ? -1 : info;
  }

  /**
   * Removes the allocation named by {@code handle}; returns its packed info, or -1 if the handle
   * names no live allocation. Its head pfn is then {@link #removedPfn()}.
   */
  int removeHandle(long handle) {
    if (handle < 0 || handle > PfnMap.MAX_KEY) {
      return -1;
    }
    long pfn = handle;
    if (pfnOfHandle.size() != 0) {
      long moved = pfnOfHandle.remove(handle, -1);
      if (moved >= 0) {
        handleOfPfn.remove(moved, -1);
        pfn = moved;
      } else {
        int info = heads.get(handle, -1);
        if (info < 0 || (info & MOVED) != 0) {
          return -1;
        }
      }
    }
    int info = heads.remove(pfn, -1);
    if (info >= 0) {
      pagesByMt[migratetype(info)] -= 1L << order(info);
      removedPfn = pfn;
    }
    return info;
  }

  /** Returns the head pfn of the allocation {@link #removeHandle} removed last. */
  long removedPfn() {
    return removedPfn;
  }

  /** Returns the head pfn of the allocation named by {@code handle}, or -1 if there is none. */
  long pfnOf(long handle) {
    if (pfnOfHandle.size() != 0) {
      long moved = pfnOfHandle.get(handle, -1);
      if (moved >= 0) {
        return moved;
      }
    }
    if (handle >= TAG_FLOOR || handle < 0) {
      return -1;
    }
    int info = heads.get(handle, -1);
    return info < 0 || (info & MOVED) != 0 ? -1 : handle;
  }

  /** Returns the handle of the allocation whose head is {@code pfn} (which must be live). */
  long handleAt(long pfn) {
    int info = heads.get(pfn, -1);
    if (info < 0) {
      return -1;
    }
    return (info & MOVED) != 0 ? handleOfPfn.get(pfn, -1) : pfn;
  }

  /**
   * Models the struct-page side of a successful migration ({@code migrate_folio()} moving the
   * mapping from the old folio to the new): the allocation whose head is {@code from} now has its
   * head at {@code to}, under the same handle.
   */
  void move(long from, long to) {
    int info = heads.remove(from, -1);
    long handle = (info & MOVED) != 0 ? handleOfPfn.remove(from, -1) : from;
    info &= ~MOVED;
    if (handle == to) {
      pfnOfHandle.remove(handle, -1);
      heads.put(to, info);
    } else {
      heads.put(to, info | MOVED);
      pfnOfHandle.put(handle, to);
      handleOfPfn.put(to, handle);
    }
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

  /** Returns whether the allocation is a compound page (PageCompound). */
  static boolean isCompound(int info) {
    return (info & COMPOUND) != 0;
  }

  /** Returns the number of live allocations. */
  int size() {
    return heads.size();
  }

  /**
   * Calls {@code consumer} for every live allocation with its head pfn, whether it is compound and
   * its handle (for snapshots).
   */
  void forEachHandle(HandleConsumer consumer) {
    heads.forEach(
        (pfn, info) ->
            consumer.accept(
                pfn, isCompound(info), (info & MOVED) != 0 ? handleOfPfn.get(pfn, -1) : pfn));
  }

  /** Receives a live allocation's head pfn, compound flag and handle. */
  interface HandleConsumer {
    void accept(long pfn, boolean compound, long handle);
  }

  /**
   * Restores what a snapshot's compaction section says of the live allocation at {@code pfn}: it is
   * compound, and/or it migrated from {@code handle}. Returns false if there is no such allocation
   * or the handle is taken.
   */
  boolean restore(long pfn, boolean compound, long handle) {
    int info = heads.get(pfn, -1);
    if (info < 0 || (handle != pfn && (pfnOfHandle.containsKey(handle) || handle < 0))) {
      return false;
    }
    if (compound) {
      info |= COMPOUND;
    }
    if (handle != pfn) {
      info |= MOVED;
      pfnOfHandle.put(handle, pfn);
      handleOfPfn.put(pfn, handle);
      if (handle >= TAG_FLOOR && handle <= nextTag) {
        nextTag = handle - 1;
      }
    }
    heads.put(pfn, info);
    return true;
  }

  /** Returns the number of live allocations that migrated away from their handle's pfn. */
  int moved() {
    return handleOfPfn.size();
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
   * Checks the map's structure, that every batch tag fits {@link #MAX_BATCH}, that the pages held
   * per migrate type add up from the allocations, and that handles and heads agree ({@link
   * #checkHandles}).
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
    checkHandles();
  }

  /**
   * Checks that handles and heads agree: every migrated head has one handle that leads back to it,
   * no handle of a migrated block names an unmigrated head, the maps are the same size.
   */
  private void checkHandles() {
    if (pfnOfHandle.size() != handleOfPfn.size()) {
      throw new IllegalStateException(
          "handle maps differ in size: "
              + pfnOfHandle.size()
              + " handles, "
              + handleOfPfn.size()
              + " pfns");
    }
    int[] flagged = {0};
    heads.forEach(
        (pfn, info) -> {
          if ((info & MOVED) == 0) {
            if (pfnOfHandle.containsKey(pfn)) {
              throw new IllegalStateException(
                  "pfn " + pfn + " is an unmigrated head and a migrated block's handle");
            }
            return;
          }
          flagged[0]++;
          long handle = handleOfPfn.get(pfn, -1);
          if (handle < 0 || pfnOfHandle.get(handle, -1) != pfn) {
            throw new IllegalStateException(
                "migrated head " + pfn + " has no handle leading to it");
          }
        });
    if (flagged[0] != handleOfPfn.size()) {
      throw new IllegalStateException(
          handleOfPfn.size() + " migrated handles but " + flagged[0] + " migrated heads");
    }
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return heads.heapBytes()
        + pfnOfHandle.heapBytes()
        + handleOfPfn.heapBytes()
        + 8L * pagesByMt.length;
  }
}
