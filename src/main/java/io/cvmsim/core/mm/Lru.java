package io.cvmsim.core.mm;

import io.cvmsim.core.memory.ZoneType;
import java.util.Arrays;

/**
 * Models the node's {@code struct lruvec} (include/linux/mmzone.h, mm/swap.c): the four evictable
 * LRU lists — inactive anon, active anon, inactive file, active file, numbered as {@code enum
 * lru_list} — and the folios on them, with the flags reclaim reads (PG_referenced, PG_dirty,
 * PG_swapbacked, PG_reclaim, PG_lru) and the page counts per list and zone that /proc prints
 * (nr_zone_inactive_file, ...). A folio is an allocated block (its allocation handle, zone and
 * order) that belongs to a mapping of the {@link PageCache}; its id is its name everywhere in
 * reclaim. The folio keeps the allocation's handle, not its pfn, because compaction migrates LRU
 * folios (they are movable, as in the kernel) and the handle is what stays ({@link
 * LiveAllocations}); migration stays within a zone, so the zone recorded at creation stays true.
 *
 * <p>Each list is circular and doubly linked through int arrays, with a sentinel per list at ids 0
 * to 3: {@code list_add()} puts a folio at the head (the youngest end), reclaim takes from the tail
 * ({@code lru_to_folio()}). Folios are kept as parallel primitive arrays indexed by id (31 bytes a
 * folio), so the state exists only for pages that are allocated. The unevictable list, memcg
 * lruvecs and the multi-gen LRU are not modeled.
 *
 * <p>Not thread safe: the owning VM serializes every call.
 */
final class Lru {

  /** LRU_INACTIVE_ANON. */
  static final int INACTIVE_ANON = 0;

  /** LRU_ACTIVE_ANON. */
  static final int ACTIVE_ANON = 1;

  /** LRU_INACTIVE_FILE. */
  static final int INACTIVE_FILE = 2;

  /** LRU_ACTIVE_FILE. */
  static final int ACTIVE_FILE = 3;

  /** NR_LRU_LISTS without the unevictable list. */
  static final int LISTS = 4;

  static final int REFERENCED = 1 << 2;
  static final int DIRTY = 1 << 3;
  static final int SWAPBACKED = 1 << 4;
  static final int RECLAIM = 1 << 5;
  static final int ON_LRU = 1 << 6;
  private static final int LIST_MASK = 3;

  /** The id no folio has. */
  static final int NONE = -1;

  private long[] handle = new long[64];
  private byte[] zone = new byte[64];
  private byte[] order = new byte[64];
  private byte[] flags = new byte[64];
  private int[] prev = new int[64];
  private int[] next = new int[64];
  private int[] mapping = new int[64];
  private int[] index = new int[64];
  private int used = LISTS;
  private int[] freeIds = new int[16];
  private int freeCount;
  private int folios;

  /** Pages per list and zone (lru_zone_size), and per list (the node's NR_LRU_BASE + lru). */
  private final long[][] zonePages = new long[LISTS][ZoneType.COUNT];

  private final long[] pages = new long[LISTS];

  Lru() {
    for (int l = 0; l < LISTS; l++) {
      prev[l] = l;
      next[l] = l;
    }
  }

  /** Returns whether {@code lru} is a file list (is_file_lru()). */
  static boolean isFile(int lru) {
    return lru >= INACTIVE_FILE;
  }

  /** Returns whether {@code lru} is an active list (is_active_lru()). */
  static boolean isActive(int lru) {
    return (lru & 1) != 0;
  }

  // ------------------------------------------------------------------ folios

  /**
   * Creates a folio for the allocation {@code allocHandle} of {@code order} in zone {@code
   * zoneIdx}, belonging to page {@code idx} of {@code map}, with {@code folioFlags}, not on any
   * list yet; returns its id.
   */
  int create(long allocHandle, int zoneIdx, int folioOrder, int map, int idx, int folioFlags) {
    int id;
    if (freeCount > 0) {
      id = freeIds[--freeCount];
    } else {
      if (used == handle.length) {
        grow(used * 2);
      }
      id = used++;
    }
    handle[id] = allocHandle;
    zone[id] = (byte) zoneIdx;
    order[id] = (byte) folioOrder;
    flags[id] = (byte) (folioFlags & ~ON_LRU);
    mapping[id] = map;
    index[id] = idx;
    prev[id] = id;
    next[id] = id;
    folios++;
    return id;
  }

  /** Forgets folio {@code id} (it must be off the lists). */
  void destroy(int id) {
    if (freeCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeCount * 2);
    }
    freeIds[freeCount++] = id;
    mapping[id] = NONE;
    folios--;
  }

  private void grow(int capacity) {
    handle = Arrays.copyOf(handle, capacity);
    zone = Arrays.copyOf(zone, capacity);
    order = Arrays.copyOf(order, capacity);
    flags = Arrays.copyOf(flags, capacity);
    prev = Arrays.copyOf(prev, capacity);
    next = Arrays.copyOf(next, capacity);
    mapping = Arrays.copyOf(mapping, capacity);
    index = Arrays.copyOf(index, capacity);
  }

  /**
   * Returns the handle of folio {@code id}'s allocation ({@link PageAllocator#headPfn} finds it).
   */
  long handle(int id) {
    return handle[id];
  }

  int order(int id) {
    return order[id];
  }

  long nrPages(int id) {
    return 1L << order[id];
  }

  int mapping(int id) {
    return mapping[id];
  }

  int index(int id) {
    return index[id];
  }

  boolean test(int id, int flag) {
    return (flags[id] & flag) != 0;
  }

  void set(int id, int flag) {
    flags[id] |= (byte) flag;
  }

  void clear(int id, int flag) {
    flags[id] &= (byte) ~flag;
  }

  /** Returns the list folio {@code id} is on, or was on when it was isolated. */
  int lru(int id) {
    return flags[id] & LIST_MASK;
  }

  /** Returns the zone index of folio {@code id} (folio_zonenum()). */
  int zone(int id) {
    return zone[id];
  }

  /** Returns the live folios. */
  int folios() {
    return folios;
  }

  // ------------------------------------------------------------------ lists

  /** Models {@code lruvec_add_folio()}: puts folio {@code id} at the head of {@code lru}. */
  void addHead(int id, int lru) {
    link(id, lru, lru);
  }

  /** Models {@code lruvec_add_folio_tail()}: puts folio {@code id} at the tail of {@code lru}. */
  void addTail(int id, int lru) {
    link(id, lru, prev[lru]);
  }

  private void link(int id, int lru, int after) {
    int n = next[after];
    prev[id] = after;
    next[id] = n;
    next[after] = id;
    prev[n] = id;
    flags[id] = (byte) ((flags[id] & ~LIST_MASK) | lru | ON_LRU);
    long p = 1L << order[id];
    zonePages[lru][zone(id)] += p;
    pages[lru] += p;
  }

  /** Models {@code lruvec_del_folio()}: takes folio {@code id} off its list (clearing PG_lru). */
  void remove(int id) {
    int p = prev[id];
    int n = next[id];
    next[p] = n;
    prev[n] = p;
    prev[id] = id;
    next[id] = id;
    flags[id] &= (byte) ~ON_LRU;
    int lru = lru(id);
    long nr = 1L << order[id];
    zonePages[lru][zone(id)] -= nr;
    pages[lru] -= nr;
  }

  /** Returns the oldest folio of {@code lru} ({@code lru_to_folio()}), or {@link #NONE}. */
  int tail(int lru) {
    int t = prev[lru];
    return t == lru ? NONE : t;
  }

  /** Returns the pages on {@code lru} (lruvec_page_state(NR_LRU_BASE + lru)). */
  long pages(int lru) {
    return pages[lru];
  }

  /** Returns the pages on {@code lru} in zone {@code zone} (NR_ZONE_LRU_BASE + lru). */
  long zonePages(int lru, int zone) {
    return zonePages[lru][zone];
  }

  /** Models {@code lruvec_lru_size()}: the pages on {@code lru} in zones up to {@code zoneIdx}. */
  long sizeUpTo(int lru, int zoneIdx) {
    long n = 0;
    for (int z = 0; z <= zoneIdx && z < ZoneType.COUNT; z++) {
      n += zonePages[lru][z];
    }
    return n;
  }

  /** Calls {@code consumer} for every folio on {@code lru}, from the head. */
  void forEach(int lru, FolioConsumer consumer) {
    for (int id = next[lru]; id != lru; id = next[id]) {
      consumer.accept(id);
    }
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return 64L + 31L * handle.length + 4L * freeIds.length;
  }

  /** Receives folio ids. */
  @FunctionalInterface
  interface FolioConsumer {
    void accept(int id);
  }
}
