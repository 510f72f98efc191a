package io.cvmsim.core.memory;

/**
 * A hash map from page frame numbers to small values that grows without ever stopping the world: no
 * operation moves more than one segment's entries, however large the map. Keys are below 2^40
 * (every pfn of the 52-bit physical address space), values below 2^23. 8 bytes a slot, at most half
 * full. Used for the per-page state of allocated memory, so gets, puts and removes allocate nothing
 * and box nothing. Not thread safe.
 *
 * <p>Implementation notes. Extendible hashing (Fagin et al., "Extendible hashing — a fast access
 * method for dynamic files", TODS 1979) over open-addressing segments:
 *
 * <pre>
 *   hash = key * 2^64/φ
 *   directory[top globalDepth bits of hash] ──► segment: long[cap + 1]
 *                                                 slots [0, cap): (key + 1) << 23 | value, 0 = empty,
 *                                                 linear probing from (hash ^ hash >>> 32) & (cap - 1),
 *                                                 backward-shift deletion (no tombstones)
 *                                                 slot cap: localDepth << 32 | entries
 * </pre>
 *
 * A segment more than half full grows: below {@link #SEGMENT_SLOTS} slots it doubles; at that size
 * it splits in two by the next bit of the hash (its local depth + 1), and the directory entries
 * that pointed to it are shared between the halves. When the local depth reaches the directory's
 * global depth, the directory doubles first: it copies one reference per segment (thousands for
 * tens of millions of entries), not entries. So the worst single operation rehashes {@code
 * SEGMENT_SLOTS / 2} entries, a fraction of a millisecond, where one table would rehash the whole
 * map at once. The segments split at different moments because their fill varies, so splits spread
 * over the growth. A segment whose keys all share the next hash bit (which a multiplicative hash of
 * distinct pfns does not produce) would split again; past {@link #MAX_DEPTH} it doubles instead, so
 * every input stays correct.
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
  private static final long SIZE_MASK = 0xFFFF_FFFFL;

  private long[][] directory;
  private int globalDepth;
  private int size;
  private int segments;
  private long slots;

  /** Creates an empty map: one segment of 64 slots. */
  public PfnMap() {
    directory = new long[][] {segment(MIN_SLOTS, 0)};
    segments = 1;
    slots = MIN_SLOTS;
  }

  private static long[] segment(int cap, int depth) {
    long[] s = new long[cap + 1];
    s[cap] = (long) depth << 32;
    return s;
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

  private static int depth(long[] s) {
    return (int) (s[s.length - 1] >>> 32);
  }

  private static int entries(long[] s) {
    return (int) (s[s.length - 1] & SIZE_MASK);
  }

  /** Returns the value for {@code key}, or {@code missing} if absent. */
  public int get(long key, int missing) {
    long h = hash(key);
    long[] s = directory[index(h)];
    int mask = s.length - 2;
    long tag = key + 1;
    int i = home(h) & mask;
    while (true) {
      long k = s[i];
      if (k >>> VALUE_BITS == tag) {
        return (int) k & MAX_VALUE;
      }
      if (k == EMPTY) {
        return missing;
      }
      i = (i + 1) & mask;
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
    if (key < 0 || key > MAX_KEY || value < 0 || value > MAX_VALUE) {
      throw new IllegalArgumentException("key " + key + " or value " + value + " out of range");
    }
    long h = hash(key);
    long[] s = directory[index(h)];
    int mask = s.length - 2;
    long tag = key + 1;
    long slot = tag << VALUE_BITS | value;
    int i = home(h) & mask;
    while (true) {
      long k = s[i];
      if (k == EMPTY) {
        s[i] = slot;
        size++;
        if ((int) ++s[mask + 1] * 2 > mask + 1) {
          grow(h);
        }
        return;
      }
      if (k >>> VALUE_BITS == tag) {
        s[i] = slot;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes {@code key}; returns its value, or {@code missing} if it was absent. */
  public int remove(long key, int missing) {
    long h = hash(key);
    long[] s = directory[index(h)];
    int mask = s.length - 2;
    long tag = key + 1;
    int i = home(h) & mask;
    while (true) {
      long k = s[i];
      if (k == EMPTY) {
        return missing;
      }
      if (k >>> VALUE_BITS == tag) {
        shiftBack(s, mask, i);
        s[mask + 1]--;
        size--;
        return (int) k & MAX_VALUE;
      }
      i = (i + 1) & mask;
    }
  }

  private static void shiftBack(long[] s, int mask, int hole) {
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      long k = s[i];
      if (k == EMPTY) {
        break;
      }
      int home = home(hash((k >>> VALUE_BITS) - 1)) & mask;
      // move k into the hole if its home is cyclically outside (hole, i]
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        s[hole] = k;
        hole = i;
      }
    }
    s[hole] = EMPTY;
  }

  /** Grows the segment of hash {@code h} until it is at most half full. */
  private void grow(long h) {
    while (true) {
      int at = index(h);
      long[] s = directory[at];
      int cap = s.length - 1;
      if (entries(s) * 2 <= cap) {
        return;
      }
      int depth = depth(s);
      if (cap < SEGMENT_SLOTS || depth == MAX_DEPTH) {
        long[] bigger = segment(cap * 2, depth);
        copyInto(s, bigger);
        point(at, depth, bigger, bigger);
        slots += cap;
      } else {
        if (depth == globalDepth) {
          doubleDirectory();
          at = index(h);
        }
        long[] low = segment(cap, depth + 1);
        long[] high = segment(cap, depth + 1);
        int bit = 63 - depth;
        for (int j = 0; j < cap; j++) {
          long k = s[j];
          if (k != EMPTY) {
            long kh = hash((k >>> VALUE_BITS) - 1);
            insert((kh >>> bit & 1) == 0 ? low : high, kh, k);
          }
        }
        point(at, depth, low, high);
        segments++;
        slots += cap;
      }
    }
  }

  /** Points the directory entries of the segment at {@code at} (of local depth d) to two halves. */
  private void point(int at, int depth, long[] low, long[] high) {
    int span = 1 << (globalDepth - depth);
    int first = at & -span;
    int half = span >>> 1;
    for (int j = 0; j < span; j++) {
      directory[first + j] = j < half ? low : high;
    }
  }

  private void doubleDirectory() {
    long[][] d = new long[directory.length * 2][];
    for (int j = 0; j < directory.length; j++) {
      d[2 * j] = directory[j];
      d[2 * j + 1] = directory[j];
    }
    directory = d;
    globalDepth++;
  }

  private static void copyInto(long[] from, long[] to) {
    for (int j = 0; j < from.length - 1; j++) {
      long k = from[j];
      if (k != EMPTY) {
        insert(to, hash((k >>> VALUE_BITS) - 1), k);
      }
    }
  }

  /** Inserts a slot that is not in {@code s} yet. */
  private static void insert(long[] s, long h, long slot) {
    int mask = s.length - 2;
    int i = home(h) & mask;
    while (s[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    s[i] = slot;
    s[mask + 1]++;
  }

  /** Returns the number of entries. */
  public int size() {
    return size;
  }

  /** Calls {@code consumer} for every entry, in no particular order. */
  public void forEach(LongIntMap.Entry consumer) {
    for (int j = 0; j < directory.length; ) {
      long[] s = directory[j];
      for (int i = 0; i < s.length - 1; i++) {
        long k = s[i];
        if (k != EMPTY) {
          consumer.accept((k >>> VALUE_BITS) - 1, (int) k & MAX_VALUE);
        }
      }
      j += 1 << (globalDepth - depth(s));
    }
  }

  /** Returns the heap held by the segments and the directory, in bytes. */
  public long heapBytes() {
    return 32L + 16L * segments + 8L * (slots + segments) + 16L + 4L * directory.length;
  }
}
