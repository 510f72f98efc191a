package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of the {@code kmem:mm_page_alloc_extfrag} tracepoint by alloc migrate type, fallback
 * migrate type and change_ownership, plus the "fragmenting" events (fallback_order <
 * pageblock_order) and the last events themselves in a ring. Not thread safe.
 */
final class ExtfragStats {

  /** How many recent events are kept. */
  static final int RECENT = 256;

  private static final int MT = MigrateType.COUNT;

  private final long[] counts = new long[MT * MT * 2];
  private long total;
  private long fragmenting;
  private long fragmentingMovable;
  private final ExtfragEvent[] recent = new ExtfragEvent[RECENT];
  private int recentNext;

  void record(ExtfragEvent e) {
    counts[
        (e.allocMigratetype() * MT + e.fallbackMigratetype()) * 2
            + (e.changeOwnership() ? 1 : 0)]++;
    total++;
    if (e.fragmenting()) {
      fragmenting++;
      if (e.fallbackMigratetype() == MigrateType.MOVABLE.ordinal()) {
        fragmentingMovable++;
      }
    }
    recent[recentNext] = e;
    recentNext = (recentNext + 1) % RECENT;
  }

  /**
   * Replaces every count and the recent events (oldest first, at most {@link #RECENT}) with those
   * of a snapshot.
   */
  void restore(
      long[] counts, long total, long fragmenting, long fragmentingMovable, List<ExtfragEvent> ev) {
    System.arraycopy(counts, 0, this.counts, 0, this.counts.length);
    this.total = total;
    this.fragmenting = fragmenting;
    this.fragmentingMovable = fragmentingMovable;
    Arrays.fill(recent, null);
    for (int i = 0; i < ev.size(); i++) {
      recent[i] = ev.get(i);
    }
    recentNext = ev.size() % RECENT;
  }

  long count(int allocMt, int fallbackMt, boolean changeOwnership) {
    return counts[(allocMt * MT + fallbackMt) * 2 + (changeOwnership ? 1 : 0)];
  }

  long total() {
    return total;
  }

  long fragmenting() {
    return fragmenting;
  }

  long fragmentingMovable() {
    return fragmentingMovable;
  }

  /** Returns the kept events, oldest first. */
  List<ExtfragEvent> recent() {
    List<ExtfragEvent> out = new ArrayList<>();
    for (int i = 0; i < RECENT; i++) {
      ExtfragEvent e = recent[(recentNext + i) % RECENT];
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }
}
