package io.cvmsim.core.accept;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code arch_accept_memory()} call of one guest since boot, numbered from 1, kept in
 * primitive arrays (about 60 bytes an entry) up to a capacity; beyond it the oldest entries are
 * dropped and counted. Thread safe.
 */
public final class AcceptLog implements AcceptListener {

  /** One logged call. */
  public record Entry(
      long seq,
      AcceptPhase phase,
      AcceptTrigger trigger,
      long start,
      long end,
      long ops4k,
      long ops2m,
      long ops1g,
      long simulatedNanos) {}

  private static final AcceptPhase[] PHASES = AcceptPhase.values();
  private static final AcceptTrigger[] TRIGGERS = AcceptTrigger.values();

  private final int capacity;
  private long[] starts = new long[16];
  private long[] ends = new long[16];
  private long[] ops4k = new long[16];
  private int[] ops2m = new int[16];
  private int[] ops1g = new int[16];
  private long[] nanos = new long[16];
  private byte[] kinds = new byte[16];
  private int head;
  private int size;
  private long nextSeq = 1;

  /** Creates a log keeping at most {@code capacity} entries. */
  public AcceptLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized void accepted(
      AcceptPhase phase, AcceptTrigger trigger, long start, long end, AcceptOperations ops) {
    if (size == capacity) {
      head = (head + 1) % starts.length;
      size--;
    } else if (size == starts.length) {
      grow();
    }
    int i = (head + size) % starts.length;
    starts[i] = start;
    ends[i] = end;
    ops4k[i] = ops.ops4k();
    ops2m[i] = (int) ops.ops2m();
    ops1g[i] = (int) ops.ops1g();
    nanos[i] = ops.simulatedNanos();
    kinds[i] = (byte) (phase.ordinal() << 4 | trigger.ordinal());
    size++;
    nextSeq++;
  }

  private void grow() {
    int n = Math.min(capacity, starts.length * 2);
    starts = unwrap(starts, n);
    ends = unwrap(ends, n);
    ops4k = unwrap(ops4k, n);
    nanos = unwrap(nanos, n);
    int[] a = new int[n];
    int[] b = new int[n];
    byte[] k = new byte[n];
    for (int j = 0; j < size; j++) {
      int from = (head + j) % ops2m.length;
      a[j] = ops2m[from];
      b[j] = ops1g[from];
      k[j] = kinds[from];
    }
    ops2m = a;
    ops1g = b;
    kinds = k;
    head = 0;
  }

  private long[] unwrap(long[] old, int n) {
    long[] a = new long[n];
    for (int j = 0; j < size; j++) {
      a[j] = old[(head + j) % old.length];
    }
    return a;
  }

  /**
   * Returns a log keeping at most {@code capacity} entries that has logged {@code totalCalls}
   * calls, of which {@code tail} are the last (oldest first, numbered up to {@code totalCalls});
   * beyond the capacity the oldest of them are dropped and counted.
   *
   * @throws IllegalArgumentException if the tail is longer than the calls or not numbered
   *     consecutively up to {@code totalCalls}
   */
  public static AcceptLog of(int capacity, long totalCalls, List<Entry> tail) {
    if (totalCalls < tail.size()) {
      throw new IllegalArgumentException(
          "the accept log holds " + tail.size() + " entries of only " + totalCalls + " calls");
    }
    AcceptLog log = new AcceptLog(capacity);
    long first = totalCalls - tail.size() + 1;
    for (int i = 0; i < tail.size(); i++) {
      Entry e = tail.get(i);
      if (e.seq() != first + i) {
        throw new IllegalArgumentException(
            "accept-log entry " + i + " is numbered " + e.seq() + ", expected " + (first + i));
      }
    }
    int from = Math.max(0, tail.size() - capacity);
    log.nextSeq = totalCalls - (tail.size() - from) + 1;
    for (int i = from; i < tail.size(); i++) {
      Entry e = tail.get(i);
      log.accepted(
          e.phase(),
          e.trigger(),
          e.start(),
          e.end(),
          new AcceptOperations(e.ops4k(), e.ops2m(), e.ops1g(), 0, 0, 0, e.simulatedNanos()));
    }
    return log;
  }

  /** Returns up to {@code limit} entries with a sequence number above {@code afterSeq}. */
  public synchronized List<Entry> after(long afterSeq, int limit) {
    long firstSeq = nextSeq - size;
    if (afterSeq >= nextSeq - 1) {
      return List.of();
    }
    long from = afterSeq < firstSeq ? firstSeq : afterSeq + 1;
    List<Entry> out = new ArrayList<>();
    for (long seq = from; seq < nextSeq && out.size() < limit; seq++) {
      int i = (int) ((head + (seq - firstSeq)) % starts.length);
      out.add(
          new Entry(
              seq,
              PHASES[kinds[i] >> 4],
              TRIGGERS[kinds[i] & 15],
              starts[i],
              ends[i],
              ops4k[i],
              ops2m[i],
              ops1g[i],
              nanos[i]));
    }
    return out;
  }

  /** Returns the number of calls ever logged. */
  public synchronized long totalCalls() {
    return nextSeq - 1;
  }

  /** Returns the number of old entries dropped to stay within capacity. */
  public synchronized long dropped() {
    return nextSeq - 1 - size;
  }

  /** Returns the heap held, in bytes (approximately). */
  public synchronized long heapBytes() {
    return (long) starts.length * (8 * 4 + 4 * 2 + 1) + 200;
  }
}
