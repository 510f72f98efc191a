package io.cvmsim.core.memory;

import java.util.Arrays;

/**
 * A hash map from page frame numbers to small values that grows without ever stopping the world: no
 * operation moves more than one segment's entries, however large the map, and the memory of a large
 * map is never copied by the garbage collector. Keys are below 2^40 (every pfn of the 52-bit
 * physical address space), values below 2^23. 8 bytes a slot, at most half full. Used for the
 * per-page state of allocated memory, so gets, puts and removes allocate nothing and box nothing.
 * Not thread safe.
 *
 * <p>Implementation notes. Extendible hashing (Fagin et al., "Extendible hashing — a fast access
 * method for dynamic files", TODS 1979) over open-addressing segments:
 *
 * <pre>
 *   hash = key * 2^64/φ
 *   d = top globalDepth bits of hash
 *   dirStore[d] ─► long[] holding the segment     dirInfo[d] = id << 32 | log2(cap) << 21 | base
 *                  slots [base, base + cap): (key + 1) << 23 | value, 0 empty; linear probing from
 *                  (hash ^ hash >>> 32) & (cap - 1), backward-shift deletion (no tombstones)
 *   by segment id: store, base, mask, entries, depth (the local depth)
 * </pre>
 *
 * A lookup loads the directory's two entries side by side, then the slot: two dependent loads, as
 * in a single table, where a directory of segment ids would add a third.
 *
 * <p>A segment more than half full grows. The first one doubles until it has {@link #SEGMENT_SLOTS}
 * slots; a full-sized one splits in two by the next bit of the hash (its local depth + 1): the
 * entries whose bit is set move to a new segment, the others are put back in place, and the
 * directory entries that pointed to it are shared between the halves. When the local depth reaches
 * the directory's global depth, the directory doubles first: it copies two words per segment
 * (thousands for tens of millions of entries), not entries. So the worst single operation rehashes
 * {@code SEGMENT_SLOTS / 2} entries, a fraction of a millisecond, where one table would rehash the
 * whole map at once. The segments split at different moments because their fill varies, so splits
 * spread over the growth. A segment whose keys all share the next hash bit (which a multiplicative
 * hash of distinct pfns does not produce) would split again; past a local depth of 24 it doubles
 * instead, so every input stays correct.
 *
 * <p>The garbage collector. A segment lives as long as the map, and a generational collector copies
 * every young object that survives, so a map that grows by millions of entries a second made of 128
 * KiB arrays would have its new segments copied at each young collection: pauses of hundreds of
 * milliseconds that stop every thread. So after the first {@value #LOOSE_SEGMENTS} segments,
 * segments are carved out of slabs: arrays of 1 to 8 MiB (a quarter of the map's segments so far,
 * in powers of two) whose size in bytes, header included, is a power of two, so that G1 allocates
 * those larger than half a region as humongous objects straight into whole old regions, where they
 * are never copied (G1 picks regions of 1 to 8 MiB for heaps up to 16 GiB; a larger heap needs
 * -XX:G1HeapRegionSize=8m for the same). The last segment of a slab is two slots short of fitting
 * (the array header) and stays unused. 8 MiB is also what allocating a slab costs at most: the JVM
 * zeroes it, a few milliseconds once every 63 splits.
 */
public final class PfnMap {

  /** The largest key. */
  public static final long MAX_KEY = (1L << 40) - 1;

  /** The largest value. */
  public static final int MAX_VALUE = (1 << 23) - 1;

  /** Slots of a full-sized segment: what one split rehashes at most (at most half of them full). */
  public static final int SEGMENT_SLOTS = 1 << 14;

  private static final int VALUE_BITS = 23;
  private static final long EMPTY = 0L;
  private static final int MIN_SLOTS = 64;
  private static final int MAX_DEPTH = 24;
  private static final int LOOSE_SEGMENTS = 8;
  private static final int MIN_SLAB_SEGMENTS = 8;
  private static final int MAX_SLAB_SEGMENTS = 64;
  private static final int ARRAY_HEADER = 16;

  private long[][] store = new long[16][];
  private int[] base = new int[16];
  private int[] mask = new int[16];
  private int[] entries = new int[16];
  private byte[] depth = new byte[16];
  private int segments;
  private long[][] dirStore;
  private long[] dirInfo = {info(0, MIN_SLOTS, 0)};
  private int globalDepth;
  private int size;
  private long[] slab;
  private int slabUsed;
  private long[] scratch;
  private long arrayBytes;

  /** Creates an empty map: one segment of 64 slots. */
  public PfnMap() {
    store[0] = new long[MIN_SLOTS];
    mask[0] = MIN_SLOTS - 1;
    dirStore = new long[][] {store[0]};
    segments = 1;
    arrayBytes = ARRAY_HEADER + 8L * MIN_SLOTS;
  }

  private static long hash(long key) {
    return key * 0x9E3779B97F4A7C15L;
  }

  private static int home(long h) {
    return (int) (h ^ (h >>> 32));
  }

  private int index(long h) {
    return (int) (h >>> (64 - MAX_DEPTH)) >>> (MAX_DEPTH - globalDepth);
  }

  private static long info(int id, int cap, int base) {
    return (long) id << 32 | (long) Integer.numberOfTrailingZeros(cap) << 21 | base;
  }

  private static int baseOf(long info) {
    return (int) info & ((1 << 21) - 1);
  }

  private static int maskOf(long info) {
    return (1 << ((int) info >>> 21 & 31)) - 1;
  }

  private static int idOf(long info) {
    return (int) (info >>> 32);
  }

  /** Returns the value for {@code key}, or {@code missing} if absent. */
  public int get(long key, int missing) {
    long h = hash(key);
    int at = index(h);
    long[] a = dirStore[at];
    long info = dirInfo[at];
    int b = baseOf(info);
    int m = maskOf(info);
    long tag = key + 1;
    int i = home(h) & m;
    while (true) {
      long k = a[b + i];
      if (k >>> VALUE_BITS == tag) {
        return (int) k & MAX_VALUE;
      }
      if (k == EMPTY) {
        return missing;
      }
      i = (i + 1) & m;
    }
  }

  /** Returns whether {@code key} is present. */
  public boolean containsKey(long key) {
    return get(key, -1) >= 0;
  }

  /**
   * Maps {@code key} to {@code value}, replacing any previous value.
   *
   * @throws IllegalArgumentException if the key or the value is out of range
   */
  public void put(long key, int value) {
    if ((key >>> 40 | value >>> VALUE_BITS) != 0) {
      throw outOfRange(key, value);
    }
    long h = hash(key);
    int at = index(h);
    long[] a = dirStore[at];
    long info = dirInfo[at];
    int b = baseOf(info);
    int m = maskOf(info);
    long tag = key + 1;
    int i = home(h) & m;
    while (true) {
      long k = a[b + i];
      if (k == EMPTY) {
        a[b + i] = tag << VALUE_BITS | value;
        size++;
        if (++entries[idOf(info)] * 2 > m + 1) {
          grow(h);
        }
        return;
      }
      if (k >>> VALUE_BITS == tag) {
        a[b + i] = tag << VALUE_BITS | value;
        return;
      }
      i = (i + 1) & m;
    }
  }

  private static IllegalArgumentException outOfRange(long key, int value) {
    return new IllegalArgumentException("key " + key + " or value " + value + " out of range");
  }

  /** Removes {@code key}; returns its value, or {@code missing} if it was absent. */
  public int remove(long key, int missing) {
    long h = hash(key);
    int at = index(h);
    long[] a = dirStore[at];
    long info = dirInfo[at];
    int b = baseOf(info);
    int m = maskOf(info);
    long tag = key + 1;
    int i = home(h) & m;
    while (true) {
      long k = a[b + i];
      if (k == EMPTY) {
        return missing;
      }
      if (k >>> VALUE_BITS == tag) {
        shiftBack(a, b, m, i);
        entries[idOf(info)]--;
        size--;
        return (int) k & MAX_VALUE;
      }
      i = (i + 1) & m;
    }
  }

  private static void shiftBack(long[] a, int b, int m, int hole) {
    int i = hole;
    while (true) {
      i = (i + 1) & m;
      long k = a[b + i];
      if (k == EMPTY) {
        break;
      }
      int home = home(hash((k >>> VALUE_BITS) - 1)) & m;
      // move k into the hole if its home is cyclically outside (hole, i]
      if (((i - home) & m) >= ((i - hole) & m)) {
        a[b + hole] = k;
        hole = i;
      }
    }
    a[b + hole] = EMPTY;
  }

  /** Grows the segment of hash {@code h} until it is at most half full. */
  private void grow(long h) {
    while (true) {
      int at = index(h);
      int id = idOf(dirInfo[at]);
      int cap = mask[id] + 1;
      if (entries[id] * 2 <= cap) {
        return;
      }
      if (cap < SEGMENT_SLOTS || depth[id] == MAX_DEPTH) {
        enlarge(id, cap * 2);
        point(at, id, id);
      } else {
        if (depth[id] == globalDepth) {
          doubleDirectory();
          at = index(h);
        }
        split(at, id);
      }
    }
  }

  /** Moves segment {@code id} into an array of its own with {@code cap} slots. */
  private void enlarge(int id, int cap) {
    long[] a = store[id];
    int b = base[id];
    int old = mask[id] + 1;
    long[] bigger = new long[cap];
    store[id] = bigger;
    base[id] = 0;
    mask[id] = cap - 1;
    entries[id] = 0;
    for (int j = 0; j < old; j++) {
      if (a[b + j] != EMPTY) {
        insert(id, a[b + j]);
      }
    }
    if (b == 0 && a.length == old) {
      arrayBytes -= ARRAY_HEADER + 8L * old;
    }
    arrayBytes += ARRAY_HEADER + 8L * cap;
  }

  /** Splits full-sized segment {@code id}, found at directory index {@code at}. */
  private void split(int at, int id) {
    int d = depth[id];
    int high = newSegment(d + 1);
    if (scratch == null) {
      scratch = new long[SEGMENT_SLOTS];
    }
    long[] a = store[id];
    int b = base[id];
    System.arraycopy(a, b, scratch, 0, SEGMENT_SLOTS);
    Arrays.fill(a, b, b + SEGMENT_SLOTS, EMPTY);
    entries[id] = 0;
    depth[id] = (byte) (d + 1);
    int bit = 63 - d;
    for (int j = 0; j < SEGMENT_SLOTS; j++) {
      long k = scratch[j];
      if (k != EMPTY) {
        insert((hash((k >>> VALUE_BITS) - 1) >>> bit & 1) == 0 ? id : high, k);
      }
    }
    point(at, id, high);
  }

  /**
   * Points the directory entries of the segment at {@code at} to its current place: the first half
   * of them to {@code low}, the second half to {@code high} (the same id unless it just split).
   */
  private void point(int at, int low, int high) {
    int span = 1 << (globalDepth - depth[low] + (low == high ? 0 : 1));
    int first = at & -span;
    for (int j = 0; j < span; j++) {
      int id = j < span >>> 1 ? low : high;
      dirStore[first + j] = store[id];
      dirInfo[first + j] = info(id, mask[id] + 1, base[id]);
    }
  }

  /** Returns the id of a new, empty, full-sized segment of local depth {@code d}. */
  private int newSegment(int d) {
    if (segments == store.length) {
      int n = segments * 2;
      store = Arrays.copyOf(store, n);
      base = Arrays.copyOf(base, n);
      mask = Arrays.copyOf(mask, n);
      entries = Arrays.copyOf(entries, n);
      depth = Arrays.copyOf(depth, n);
    }
    int id = segments++;
    if (id < LOOSE_SEGMENTS) {
      store[id] = new long[SEGMENT_SLOTS];
      arrayBytes += ARRAY_HEADER + 8L * SEGMENT_SLOTS;
    } else {
      if (slab == null || slabUsed + SEGMENT_SLOTS > slab.length) {
        int n =
            Math.max(MIN_SLAB_SEGMENTS, Math.min(MAX_SLAB_SEGMENTS, Integer.highestOneBit(id / 4)));
        // header included, a power of two of bytes: whole G1 regions, never copied
        slab = new long[n * SEGMENT_SLOTS - ARRAY_HEADER / 8];
        slabUsed = 0;
        arrayBytes += 8L * n * SEGMENT_SLOTS;
      }
      store[id] = slab;
      base[id] = slabUsed;
      slabUsed += SEGMENT_SLOTS;
    }
    mask[id] = SEGMENT_SLOTS - 1;
    depth[id] = (byte) d;
    return id;
  }

  private void doubleDirectory() {
    long[][] st = new long[dirStore.length * 2][];
    long[] in = new long[dirInfo.length * 2];
    for (int j = 0; j < dirInfo.length; j++) {
      st[2 * j] = dirStore[j];
      st[2 * j + 1] = dirStore[j];
      in[2 * j] = dirInfo[j];
      in[2 * j + 1] = dirInfo[j];
    }
    dirStore = st;
    dirInfo = in;
    globalDepth++;
  }

  /** Inserts a slot whose key is not in segment {@code id} yet. */
  private void insert(int id, long slot) {
    long[] a = store[id];
    int b = base[id];
    int m = mask[id];
    int i = home(hash((slot >>> VALUE_BITS) - 1)) & m;
    while (a[b + i] != EMPTY) {
      i = (i + 1) & m;
    }
    a[b + i] = slot;
    entries[id]++;
  }

  /** Returns the number of entries. */
  public int size() {
    return size;
  }

  /** Calls {@code consumer} for every entry, in no particular order. */
  public void forEach(LongIntMap.Entry consumer) {
    for (int id = 0; id < segments; id++) {
      long[] a = store[id];
      for (int j = base[id], end = j + mask[id] + 1; j < end; j++) {
        long k = a[j];
        if (k != EMPTY) {
          consumer.accept((k >>> VALUE_BITS) - 1, (int) k & MAX_VALUE);
        }
      }
    }
  }

  /**
   * Checks the map's structure: every directory entry names its segment's current place, and the
   * {@code 2^(globalDepth - localDepth)} entries of a segment are the aligned run its hash prefix
   * picks; every segment is at most half full and counts its entries; every entry lies in the
   * segment its hash picks, with no empty slot between its home and its slot (so a lookup finds
   * it); the entries add up to the size. O(slots), for tests and {@code
   * cvmsim.debug.check-invariants}.
   *
   * @throws IllegalStateException naming the first broken invariant
   */
  public void checkInvariants() {
    for (int j = 0; j < dirInfo.length; j++) {
      int id = idOf(dirInfo[j]);
      if (id >= segments
          || dirStore[j] != store[id]
          || baseOf(dirInfo[j]) != base[id]
          || maskOf(dirInfo[j]) != mask[id]) {
        throw new IllegalStateException("directory entry " + j + " is stale for segment " + id);
      }
      if (depth[id] > globalDepth || idOf(dirInfo[j & -(1 << (globalDepth - depth[id]))]) != id) {
        throw new IllegalStateException("directory entry " + j + " is outside its segment's run");
      }
    }
    long total = 0;
    for (int id = 0; id < segments; id++) {
      long[] a = store[id];
      int b = base[id];
      int m = mask[id];
      int n = 0;
      for (int i = 0; i <= m; i++) {
        long k = a[b + i];
        if (k == EMPTY) {
          continue;
        }
        n++;
        long key = (k >>> VALUE_BITS) - 1;
        long h = hash(key);
        if (idOf(dirInfo[index(h)]) != id) {
          throw new IllegalStateException("key " + key + " is in segment " + id + ", not its own");
        }
        for (int j = home(h) & m; j != i; j = (j + 1) & m) {
          if (a[b + j] == EMPTY) {
            throw new IllegalStateException("key " + key + " is past an empty slot of its probe");
          }
        }
      }
      if (n != entries[id] || 2 * n > m + 1) {
        throw new IllegalStateException(
            "segment "
                + id
                + " holds "
                + n
                + " entries in "
                + (m + 1)
                + " slots, counts "
                + entries[id]);
      }
      total += n;
    }
    if (total != size) {
      throw new IllegalStateException("the segments hold " + total + " entries, size is " + size);
    }
  }

  /** Returns the heap held by the segments, slabs, directory and bookkeeping, in bytes. */
  public long heapBytes() {
    return 64
        + arrayBytes
        + (scratch == null ? 0 : ARRAY_HEADER + 8L * SEGMENT_SLOTS)
        + 5L * ARRAY_HEADER
        + 17L * store.length
        + 2L * ARRAY_HEADER
        + 12L * dirInfo.length;
  }
}
