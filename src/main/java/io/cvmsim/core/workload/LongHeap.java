package io.cvmsim.core.workload;

import java.util.Arrays;

/**
 * A binary min-heap of (key, value) long pairs in primitive arrays: expiry times of allocations.
 */
final class LongHeap {

  private long[] keys = new long[1024];
  private long[] values = new long[1024];
  private int size;

  void push(long key, long value) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (keys[parent] <= key) {
        break;
      }
      keys[i] = keys[parent];
      values[i] = values[parent];
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekKey() {
    return keys[0];
  }

  /** Removes the smallest entry and returns its value. */
  long pop() {
    long top = values[0];
    size--;
    if (size > 0) {
      long key = keys[size];
      long value = values[size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && keys[child + 1] < keys[child]) {
          child++;
        }
        if (keys[child] >= key) {
          break;
        }
        keys[i] = keys[child];
        values[i] = values[child];
        i = child;
      }
      keys[i] = key;
      values[i] = value;
    }
    return top;
  }

  int size() {
    return size;
  }
}
