package io.cvmsim.core.vm;

/**
 * The batches a guest remembers, so that one request can free what another allocated: a batch is
 * what one allocation request got, and for each the guest keeps the runs of its blocks. Not thread
 * safe: used under the guest's lock.
 *
 * <p>Implementation notes. Batch ids count up from 1 per guest. Batch {@code i} lives in slot
 * {@code (i - 1) mod capacity + 1}, and its blocks carry that slot as their tag in the allocator
 * ({@code PageAllocator.tagAllocations}), so the slot is all a live allocation spends on its batch.
 * The blocks are kept as runs, one long each: {@code (blocks - 1) << 40 | first pfn}, the blocks of
 * a run {@code 2^order} pages apart; the buddy allocator hands out consecutive blocks whenever it
 * splits a larger one, so a batch is usually a few runs, and never more longs than blocks. Freeing
 * a batch frees each of its blocks whose live allocation still carries the slot's tag: a block
 * freed by pfn in the meantime is skipped, and if its pfn was handed out again since, the new
 * allocation carries another tag (the batch in this slot is the only one that can carry this tag
 * and be remembered: a slot is reused only after {@code capacity} newer batches, and reusing it
 * forgets its batch). So freeing a batch is exact, whatever was freed by pfn before.
 *
 * <p>Bounds: at most {@code capacity} batches and {@code maxBytes} bytes of runs. Opening a batch
 * whose slot is taken forgets the batch there (the oldest remembered); when the runs exceed {@code
 * maxBytes}, the oldest batches are forgotten until they fit, but never the newest one. A forgotten
 * batch's blocks stay allocated and can still be freed by pfn.
 */
final class Batches {

  /** The largest number of blocks in one run (the 24 bits above a 40-bit pfn). */
  static final int MAX_RUN_BLOCKS = 1 << 24;

  private static final int PFN_BITS = 40;
  private static final long PFN_MASK = (1L << PFN_BITS) - 1;
  private static final long[] NO_RUNS = {};

  private final int capacity;
  private final long maxBytes;
  private final long[] ids;
  private final long[][] runs;
  private final byte[] orders;
  private long next = 1;
  private long oldest = 1;
  private long bytes;
  private int remembered;

  /** Creates an empty set of at most {@code capacity} batches and {@code maxBytes} of runs. */
  Batches(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.ids = new long[capacity + 1];
    this.runs = new long[capacity + 1][];
    this.orders = new byte[capacity + 1];
  }

  /** Returns the most batches remembered. */
  int capacity() {
    return capacity;
  }

  /** Returns the slot (and allocator tag) of batch {@code id}: 1 to capacity. */
  int slot(long id) {
    return (int) ((id - 1) % capacity) + 1;
  }

  /** Opens the next batch, forgetting the batch whose slot it takes; returns its id. */
  long open() {
    long id = next++;
    int slot = slot(id);
    if (ids[slot] != 0) {
      forget(slot);
    }
    ids[slot] = id;
    runs[slot] = NO_RUNS;
    remembered++;
    return id;
  }

  /**
   * Records the first {@code n} of {@code pfns} as the blocks of the open batch {@code id}, each of
   * {@code order}; then forgets the oldest other batches while the runs exceed the byte limit.
   */
  void close(long id, int order, long[] pfns, int n) {
    int slot = slot(id);
    long[] r = runsOf(pfns, n, order);
    runs[slot] = r;
    orders[slot] = (byte) order;
    bytes += 8L * r.length;
    oldest = Math.max(oldest, id - capacity + 1);
    while (bytes > maxBytes && oldest < id) {
      int s = slot(oldest);
      if (ids[s] == oldest) {
        forget(s);
      }
      oldest++;
    }
  }

  /** Returns the slot of batch {@code id} if it is remembered, or -1. */
  int find(long id) {
    if (id < 1 || id >= next) {
      return -1;
    }
    int s = slot(id);
    return ids[s] == id ? s : -1;
  }

  /** Returns the runs of the batch in {@code slot}. */
  long[] runs(int slot) {
    return runs[slot];
  }

  /** Returns the order of the blocks of the batch in {@code slot}. */
  int order(int slot) {
    return orders[slot];
  }

  /** Forgets the batch in {@code slot}. */
  void forget(int slot) {
    bytes -= 8L * runs[slot].length;
    runs[slot] = null;
    ids[slot] = 0;
    remembered--;
  }

  /** Returns the number of batches remembered. */
  int remembered() {
    return remembered;
  }

  /** Returns the bytes of runs held. */
  long runBytes() {
    return bytes;
  }

  /**
   * Checks the bookkeeping: each remembered batch sits in its slot with its runs, the remembered
   * batches and the bytes of runs are counted right, and the bytes are within the limit unless only
   * the newest batch is left.
   *
   * @throws IllegalStateException naming the first broken invariant
   */
  void checkInvariants() {
    int n = 0;
    long b = 0;
    for (int s = 1; s <= capacity; s++) {
      if (ids[s] == 0) {
        continue;
      }
      if (ids[s] >= next || slot(ids[s]) != s || runs[s] == null) {
        throw new IllegalStateException("batch " + ids[s] + " is misplaced in slot " + s);
      }
      n++;
      b += 8L * runs[s].length;
    }
    if (n != remembered || b != bytes) {
      throw new IllegalStateException(
          n + " batches with " + b + " bytes of runs, counted " + remembered + " and " + bytes);
    }
    if (bytes > maxBytes && remembered > 1) {
      throw new IllegalStateException(bytes + " bytes of runs exceed " + maxBytes);
    }
  }

  /** Returns the first pfn of a run. */
  static long first(long run) {
    return run & PFN_MASK;
  }

  /** Returns the number of blocks in a run. */
  static int blocks(long run) {
    return (int) (run >>> PFN_BITS) + 1;
  }

  /** Returns the runs of the first {@code n} pfns, blocks of {@code order}. */
  static long[] runsOf(long[] pfns, int n, int order) {
    long stride = 1L << order;
    int count = 0;
    for (int i = 0, len = 0; i < n; i++) {
      if (len > 0 && len < MAX_RUN_BLOCKS && pfns[i] == pfns[i - 1] + stride) {
        len++;
      } else {
        count++;
        len = 1;
      }
    }
    long[] out = new long[count];
    int r = -1;
    for (int i = 0, len = 0; i < n; i++) {
      if (len > 0 && len < MAX_RUN_BLOCKS && pfns[i] == pfns[i - 1] + stride) {
        len++;
        out[r] += 1L << PFN_BITS;
      } else {
        out[++r] = pfns[i];
        len = 1;
      }
    }
    return out;
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    return 64 + 13L * (capacity + 1) + 16L * remembered + bytes;
  }
}
