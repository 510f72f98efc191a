package io.cvmsim.core.workload;

/** A growable FIFO ring of longs. */
final class LongQueue {

  private long[] data = new long[1024];
  private int head;
  private int size;

  void add(long v) {
    if (size == data.length) {
      long[] d = new long[data.length * 2];
      for (int i = 0; i < size; i++) {
        d[i] = data[(head + i) & (data.length - 1)];
      }
      data = d;
      head = 0;
    }
    data[(head + size) & (data.length - 1)] = v;
    size++;
  }

  long poll() {
    long v = data[head];
    head = (head + 1) & (data.length - 1);
    size--;
    return v;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }
}
