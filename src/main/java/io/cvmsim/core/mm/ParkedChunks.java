package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;

/**
 * A zone's {@code unaccepted_pages} list: MAX_ORDER chunks parked at boot because they contain
 * unaccepted memory, taken FIFO by acceptance. Held as runs of consecutive chunks in a ring of
 * primitive arrays, so a multi-terabyte guest parked in one stretch costs one run. Not thread safe.
 */
final class ParkedChunks {

  private long[] starts = new long[4];
  private long[] counts = new long[4];
  private int head;
  private int runs;
  private long chunks;

  /** Appends {@code n} chunks starting at {@code pfn} to the tail (list_add_tail). */
  void addTail(long pfn, long n) {
    if (n <= 0) {
      return;
    }
    if (runs > 0) {
      int last = (head + runs - 1) % starts.length;
      if (starts[last] + (counts[last] << Sizes.MAX_ORDER) == pfn) {
        counts[last] += n;
        chunks += n;
        return;
      }
    }
    if (runs == starts.length) {
      grow();
    }
    int i = (head + runs) % starts.length;
    starts[i] = pfn;
    counts[i] = n;
    runs++;
    chunks += n;
  }

  /** Removes and returns the first chunk's pfn, or -1 if the list is empty. */
  long takeFirst() {
    if (runs == 0) {
      return -1;
    }
    long pfn = starts[head];
    starts[head] += Sizes.MAX_ORDER_NR_PAGES;
    if (--counts[head] == 0) {
      head = (head + 1) % starts.length;
      runs--;
    }
    chunks--;
    return pfn;
  }

  /** Returns whether the list is empty. */
  boolean isEmpty() {
    return chunks == 0;
  }

  /** Returns the number of parked chunks. */
  long chunks() {
    return chunks;
  }

  /** Returns the number of runs. */
  int runs() {
    return runs;
  }

  /** Returns the first pfn of run {@code i} (0 = first in FIFO order). */
  long runStart(int i) {
    return starts[(head + i) % starts.length];
  }

  /** Returns the chunks of run {@code i}. */
  long runChunks(int i) {
    return counts[(head + i) % counts.length];
  }

  /** Returns run {@code i} (0 = first in FIFO order) as {startPfn, chunks}. */
  long[] run(int i) {
    int j = (head + i) % starts.length;
    return new long[] {starts[j], counts[j]};
  }

  private void grow() {
    long[] s = new long[starts.length * 2];
    long[] c = new long[starts.length * 2];
    for (int k = 0; k < runs; k++) {
      int j = (head + k) % starts.length;
      s[k] = starts[j];
      c[k] = counts[j];
    }
    starts = s;
    counts = c;
    head = 0;
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return 48L + 16L * starts.length;
  }
}
