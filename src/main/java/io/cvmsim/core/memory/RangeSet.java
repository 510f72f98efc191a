package io.cvmsim.core.memory;

import java.util.Arrays;

/**
 * A set of disjoint half-open ranges of longs, merged where they touch, in sorted primitive arrays.
 * Adding next to the last range (the common case: memory is accepted in ascending order) costs
 * O(log n) without copying. Not thread safe.
 */
public final class RangeSet {

  private long[] starts = new long[8];
  private long[] ends = new long[8];
  private int size;
  private long total;

  /**
   * Adds {@code [start, end)} if it overlaps nothing already present; returns false (and adds
   * nothing) otherwise. Touching ranges merge.
   */
  public boolean addDisjoint(long start, long end) {
    if (start >= end) {
      return true;
    }
    // i = index of the first range with start >= the new start
    int i = lowerBound(start);
    if (i > 0 && ends[i - 1] > start) {
      return false;
    }
    if (i < size && starts[i] < end) {
      return false;
    }
    boolean mergeLeft = i > 0 && ends[i - 1] == start;
    boolean mergeRight = i < size && starts[i] == end;
    if (mergeLeft && mergeRight) {
      ends[i - 1] = ends[i];
      deleteAt(i);
    } else if (mergeLeft) {
      ends[i - 1] = end;
    } else if (mergeRight) {
      starts[i] = start;
    } else {
      insertAt(i, start, end);
    }
    total += end - start;
    return true;
  }

  /**
   * Removes {@code [start, end)}: ranges inside it go, ranges it overlaps are trimmed, a range that
   * holds it is split in two.
   */
  public void remove(long start, long end) {
    if (start >= end) {
      return;
    }
    int i = lowerBound(start);
    if (i > 0 && ends[i - 1] > start) {
      i--;
    }
    while (i < size && starts[i] < end) {
      long s = starts[i];
      long e = ends[i];
      if (s < start && e > end) {
        ends[i] = start;
        insertAt(i + 1, end, e);
        total -= end - start;
        return;
      }
      if (s < start) {
        ends[i] = start;
        total -= e - start;
        i++;
      } else if (e > end) {
        starts[i] = end;
        total -= end - s;
        return;
      } else {
        deleteAt(i);
        total -= e - s;
      }
    }
  }

  private void insertAt(int i, long start, long end) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    System.arraycopy(starts, i, starts, i + 1, size - i);
    System.arraycopy(ends, i, ends, i + 1, size - i);
    starts[i] = start;
    ends[i] = end;
    size++;
  }

  private void deleteAt(int i) {
    System.arraycopy(starts, i + 1, starts, i, size - i - 1);
    System.arraycopy(ends, i + 1, ends, i, size - i - 1);
    size--;
  }

  /** Returns whether every value of {@code [start, end)} is in the set. */
  public boolean covers(long start, long end) {
    if (start >= end) {
      return true;
    }
    int i = lowerBound(start + 1) - 1;
    return i >= 0 && starts[i] <= start && ends[i] >= end;
  }

  /** Returns the number of disjoint ranges. */
  public int size() {
    return size;
  }

  /** Returns the sum of the lengths. */
  public long totalLength() {
    return total;
  }

  /** Returns range {@code i} as {start, end}. */
  public long[] range(int i) {
    return new long[] {starts[i], ends[i]};
  }

  private int lowerBound(long key) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
