package io.cvmsim.core.mm;

import io.cvmsim.core.memory.RangeSet;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Models memblock (mm/memblock.c) during early boot: the RAM the kernel may use ({@code
 * memblock.memory}) and the ranges reserved in it ({@code memblock.reserved}). Allocations are
 * top-down, as x86 does by default; accepting them is the caller's job (memblock_alloc_range_nid()
 * calls accept_memory() on what it found). Not thread safe.
 */
public final class Memblock {

  private final List<long[]> memory;
  private final RangeSet reserved = new RangeSet();

  /** Creates memblock over these sorted, disjoint physical RAM ranges ({start, end}). */
  public Memblock(List<long[]> memory) {
    this.memory = new ArrayList<>(memory);
  }

  /** Returns the RAM ranges. */
  public List<long[]> memory() {
    return memory;
  }

  /** Models {@code memblock_reserve(base, size)}: the part inside RAM becomes reserved. */
  public void reserve(long base, long size) {
    long end = base + size;
    for (long[] r : memory) {
      long s = Math.max(base, r[0]);
      long e = Math.min(end, r[1]);
      if (s < e) {
        addReserved(s, e);
      }
    }
  }

  private void addReserved(long s, long e) {
    for (long[] piece : freeGapsDescending(s, e)) {
      reserved.addDisjoint(piece[0], piece[1]);
    }
  }

  /**
   * Models {@code memblock_find_in_range_node()} top-down plus the reservation: the highest {@code
   * align}-aligned range of {@code size} bytes in free RAM within {@code [min, max)}. Returns its
   * start, or -1 if none fits.
   */
  public long alloc(long size, long align, long min, long max) {
    for (int i = memory.size() - 1; i >= 0; i--) {
      long rs = Math.max(memory.get(i)[0], min);
      long re = Math.min(memory.get(i)[1], max);
      if (re - rs < size) {
        continue;
      }
      for (long[] gap : freeGapsDescending(rs, re)) {
        long cand = Sizes.alignDown(gap[1] - size, align);
        if (cand >= gap[0] && cand + size <= gap[1]) {
          reserved.addDisjoint(cand, cand + size);
          return cand;
        }
      }
    }
    return -1;
  }

  private List<long[]> freeGapsDescending(long s, long e) {
    List<long[]> gaps = new ArrayList<>();
    long cur = s;
    for (int i = 0; i < reserved.size(); i++) {
      long[] r = reserved.range(i);
      if (r[1] <= cur || r[0] >= e) {
        continue;
      }
      if (r[0] > cur) {
        gaps.add(new long[] {cur, r[0]});
      }
      cur = Math.max(cur, r[1]);
    }
    if (cur < e) {
      gaps.add(new long[] {cur, e});
    }
    Collections.reverse(gaps);
    return gaps;
  }

  /**
   * Models {@code memblock_free(base, size)}: the reservation of {@code [base, base + size)} ends
   * (the kernel frees the initrd and its init sections to the page allocator after boot).
   */
  public void free(long base, long size) {
    reserved.remove(base, base + size);
  }

  /** Returns RAM minus reserved ranges, ascending (for_each_free_mem_range). */
  public List<long[]> freeRanges() {
    List<long[]> out = new ArrayList<>();
    for (long[] r : memory) {
      List<long[]> gaps = freeGapsDescending(r[0], r[1]);
      Collections.reverse(gaps);
      out.addAll(gaps);
    }
    return out;
  }

  /** Returns the reserved ranges, ascending. */
  public List<long[]> reservedRanges() {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < reserved.size(); i++) {
      out.add(reserved.range(i));
    }
    return out;
  }
}
