package io.cvmsim.core.memory;

import java.util.Arrays;

/**
 * An open-addressing hash map from non-negative long keys to long values, with linear probing and
 * backward-shift deletion (no tombstones): 16 bytes a slot, at most half full. The same design as
 * {@link LongIntMap}, for values that are pfns. No boxing. Not thread safe.
 */
public final class LongLongMap {

  private static final long EMPTY = -1L;

  private long[] keys;
  private long[] values;
  private int mask;
  private int size;

  /** Creates a map sized for about {@code expected} entries. */
  public LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new long[cap];
    mask = cap - 1;
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** Returns the value for {@code key}, or {@code missing} if absent. */
  public long get(long key, long missing) {
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return missing;
      }
      i = (i + 1) & mask;
    }
  }

  /** Returns whether {@code key} is present. */
  public boolean containsKey(long key) {
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return true;
      }
      if (k == EMPTY) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  /** Maps {@code key} to {@code value}, replacing any previous value. */
  public void put(long key, long value) {
    if (key < 0) {
      throw new IllegalArgumentException("negative key " + key);
    }
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
          rehash(keys.length * 2);
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes {@code key}; returns its value, or {@code missing} if it was absent. */
  public long remove(long key, long missing) {
    int i = hash(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == EMPTY) {
        return missing;
      }
      if (k == key) {
        long v = values[i];
        shiftBack(i);
        size--;
        return v;
      }
      i = (i + 1) & mask;
    }
  }

  private void shiftBack(int hole) {
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      long k = keys[i];
      if (k == EMPTY) {
        break;
      }
      int home = hash(k) & mask;
      // move k into the hole if its home is cyclically outside (hole, i]
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        keys[hole] = k;
        values[hole] = values[i];
        hole = i;
      }
    }
    keys[hole] = EMPTY;
  }

  private void rehash(int cap) {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new long[cap];
    mask = cap - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != EMPTY) {
        int i = hash(k) & mask;
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
      }
    }
  }

  /** Returns the number of entries. */
  public int size() {
    return size;
  }

  /** Calls {@code consumer} for every entry, in no particular order. */
  public void forEach(Entry consumer) {
    for (int j = 0; j < keys.length; j++) {
      if (keys[j] != EMPTY) {
        consumer.accept(keys[j], values[j]);
      }
    }
  }

  /** Returns the heap held by the tables, in bytes. */
  public long heapBytes() {
    return 32L + keys.length * 16L;
  }

  /** Receives entries. */
  @FunctionalInterface
  public interface Entry {
    /** Called once per entry. */
    void accept(long key, long value);
  }
}
