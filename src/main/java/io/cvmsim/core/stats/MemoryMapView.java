package io.cvmsim.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A guest's physical address space summarised into equal buckets: for each, the bytes in every
 * {@link MapState} and the state that dominates it.
 *
 * @param from the first address shown
 * @param to the address after the last one shown
 * @param bucketBytes the bytes each bucket covers (the last may cover less)
 * @param buckets the buckets in address order
 * @param totals the bytes per state over the whole range, in {@link MapState} order
 */
public record MemoryMapView(
    long from, long to, long bucketBytes, List<Bucket> buckets, long[] totals) {

  /**
   * One bucket.
   *
   * @param start first address
   * @param end address after the last
   * @param bytes bytes per state, in {@link MapState} order
   * @param dominant the state with the most bytes (HOLE only if all of it is hole)
   */
  public record Bucket(long start, long end, long[] bytes, MapState dominant) {}

  /** Accumulates intervals into buckets. */
  public static final class Builder {
    private final long from;
    private final long to;
    private final long bucketBytes;
    private final long[][] acc;
    private final int ram;

    /** Creates a builder for {@code buckets} buckets over {@code [from, to)}. */
    public Builder(long from, long to, int buckets) {
      this.from = from;
      this.to = to;
      long span = to - from;
      this.bucketBytes = Math.max(1, (span + buckets - 1) / buckets);
      int n = (int) ((span + bucketBytes - 1) / bucketBytes);
      this.ram = MapState.values().length;
      this.acc = new long[n][ram + 1];
    }

    /** Adds {@code [start, end)} in {@code state}, clipped to the range. */
    public void add(long start, long end, MapState state) {
      add(start, end, state.ordinal());
    }

    private void add(long start, long end, int k) {
      long s = Math.max(start, from);
      long e = Math.min(end, to);
      if (s >= e) {
        return;
      }
      int b = (int) ((s - from) / bucketBytes);
      int last = (int) ((e - 1 - from) / bucketBytes);
      for (; b <= last; b++) {
        long bs = from + b * bucketBytes;
        long be = Math.min(bs + bucketBytes, to);
        acc[b][k] += Math.min(e, be) - Math.max(s, bs);
      }
    }

    /**
     * Adds usable RAM {@code [start, end)}: counted apart, so that RAM no other interval claims can
     * be classified by {@link #classifyRest}.
     */
    public void addRam(long start, long end) {
      add(start, end, ram);
    }

    /**
     * Fills each bucket: what no interval claimed is hole if outside the memory map, else RAM of
     * state {@code rest}; parked bytes that are still unaccepted count as unaccepted only.
     */
    public void classifyRest(MapState rest, boolean parkedHoldsUnaccepted) {
      int unacc = MapState.UNACCEPTED.ordinal();
      int parked = MapState.PARKED.ordinal();
      for (int i = 0; i < acc.length; i++) {
        long[] x = acc[i];
        if (parkedHoldsUnaccepted) {
          x[parked] -= Math.min(x[parked], x[unacc]);
        }
        long classified = 0;
        for (int k = 0; k < ram; k++) {
          if (k != MapState.HOLE.ordinal() && k != MapState.RESERVED.ordinal()) {
            classified += x[k];
          }
        }
        x[rest.ordinal()] += Math.max(0, x[ram] - classified);
        long span = end(i) - start(i);
        x[MapState.HOLE.ordinal()] = Math.max(0, span - x[ram] - x[MapState.RESERVED.ordinal()]);
      }
    }

    /** Returns the number of buckets. */
    public int size() {
      return acc.length;
    }

    /** Returns the first address of bucket {@code i}. */
    public long start(int i) {
      return from + i * bucketBytes;
    }

    /** Returns the address after bucket {@code i}. */
    public long end(int i) {
      return Math.min(from + (i + 1) * bucketBytes, to);
    }

    /** Builds the view. */
    public MemoryMapView build() {
      List<Bucket> out = new ArrayList<>(acc.length);
      long[] totals = new long[MapState.values().length];
      for (int i = 0; i < acc.length; i++) {
        long[] b = Arrays.copyOf(acc[i], ram);
        int best = MapState.HOLE.ordinal();
        long bestBytes = 0;
        for (int k = 0; k < b.length; k++) {
          totals[k] += b[k];
          if (k != MapState.HOLE.ordinal() && b[k] > bestBytes) {
            best = k;
            bestBytes = b[k];
          }
        }
        out.add(new Bucket(start(i), end(i), b, MapState.values()[best]));
      }
      return new MemoryMapView(from, to, bucketBytes, List.copyOf(out), totals);
    }
  }
}
