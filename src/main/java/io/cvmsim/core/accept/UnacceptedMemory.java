package io.cvmsim.core.accept;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.firmware.UnitBitmap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Models drivers/firmware/efi/unaccepted_memory.c as in mainline: {@code accept_memory()} and
 * {@code range_contains_unaccepted_memory()} over the EFI stub's table, with the guard unit, and
 * with the {@code accepting_list} that lets concurrent callers run without ever accepting the same
 * unit twice.
 *
 * <p>Implementation notes. Both functions clip {@code start} to {@code phys_base} (and give up if
 * {@code end < phys_base}; {@code end == phys_base} does not give up), translate to offsets, and,
 * when {@code end} is unit aligned, extend it by one unit: load_unaligned_zeropad() may read a few
 * bytes past the end of a page, and touching unaccepted memory is fatal on TDX (commit
 * c211c19e80d0, part of 6.5). Then {@code end} is clamped to the bitmap. {@code accept_memory()}
 * works on the units {@code [start / unit, DIV_ROUND_UP(end, unit))}: it waits while any in-flight
 * range overlaps them, registers its own, and for each maximal run of set bits drops the lock,
 * calls {@code arch_accept_memory()}, retakes the lock and clears the run. (6.5 held the lock
 * across the platform call; the answers are the same, only contention differs.) {@code
 * range_contains_unaccepted_memory()} tests bit {@code cur / unit} for {@code cur = start, start +
 * unit, ...} while {@code cur < end}: with an unaligned start the last unit can be skipped, a quirk
 * the kernel has and this keeps.
 *
 * <p>Thread safe. The kernel's IRQ-disabled spinlock becomes a lock with a condition: waiting
 * callers block instead of spinning.
 */
public final class UnacceptedMemory {

  private final UnacceptedTable table;
  private final AcceptPlatform platform;
  private final AcceptListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition rangeDone = lock.newCondition();
  private final List<long[]> acceptingList = new ArrayList<>();

  /**
   * Creates the kernel's view of a table (null: no table, everything counts as accepted), accepting
   * through {@code platform} and reporting every platform call to {@code listener}.
   */
  public UnacceptedMemory(UnacceptedTable table, AcceptPlatform platform, AcceptListener listener) {
    this.table = table;
    this.platform = platform;
    this.listener = listener;
  }

  /** Returns whether a table exists (efi.unaccepted is valid). */
  public boolean hasTable() {
    return table != null;
  }

  /** Returns the table, or null. Callers must not change it. */
  public UnacceptedTable table() {
    return table;
  }

  /** Returns the platform accepting for this guest. */
  public AcceptPlatform platform() {
    return platform;
  }

  /**
   * Models {@code accept_memory(start, end)} (6.5 signature; mainline passes a size): accepts every
   * unaccepted unit the guard-extended, clamped range touches, and returns one entry per platform
   * call, in order.
   */
  public List<AcceptedRange> acceptMemory(long start, long end, AcceptTrigger trigger) {
    long[] range = unitRange(start, end);
    if (range == null) {
      return List.of();
    }
    if (range[0] >= range[1]) {
      return List.of();
    }
    long base = table.physBase();
    long unit = table.unitSize();
    UnitBitmap bitmap = table.bitmap();
    List<AcceptedRange> done = new ArrayList<>(1);
    lock.lock();
    try {
      while (overlapsInFlight(range)) {
        rangeDone.awaitUninterruptibly();
      }
      acceptingList.add(range);
      try {
        long cursor = range[0];
        while (true) {
          long rs = bitmap.nextSetBit(cursor, range[1]);
          if (rs < 0) {
            break;
          }
          long re = bitmap.nextClearBit(rs, range[1]);
          long physStart = base + rs * unit;
          long physEnd = base + re * unit;
          AcceptOperations ops;
          lock.unlock();
          try {
            ops = platform.accept(physStart, physEnd, AcceptPhase.KERNEL);
          } finally {
            lock.lock();
          }
          bitmap.clear(rs, re);
          done.add(new AcceptedRange(physStart, physEnd, ops));
          cursor = re;
        }
      } finally {
        acceptingList.remove(range);
        rangeDone.signalAll();
      }
    } finally {
      lock.unlock();
    }
    for (AcceptedRange r : done) {
      listener.accepted(AcceptPhase.KERNEL, trigger, r.start(), r.end(), r.operations());
    }
    return done;
  }

  /**
   * Models the EFI stub's and decompressor's own {@code accept_memory()}
   * (drivers/firmware/efi/libstub/unaccepted_memory.c, used by arch/x86/boot/compressed for the
   * memory the kernel is decompressed into): the same clipping and clamping as the kernel's, but no
   * guard unit. Accepts with the given phase.
   */
  public List<AcceptedRange> acceptMemoryEarly(
      long start, long end, AcceptPhase phase, AcceptTrigger trigger) {
    long[] clipped = clip(start, end, false);
    if (clipped == null) {
      return List.of();
    }
    long base = table.physBase();
    long unit = table.unitSize();
    long from = clipped[0] / unit;
    long to = (clipped[1] + unit - 1) / unit;
    List<AcceptedRange> done = new ArrayList<>(1);
    lock.lock();
    try {
      UnitBitmap bitmap = table.bitmap();
      long rs = bitmap.nextSetBit(from, to);
      while (rs >= 0) {
        long re = bitmap.nextClearBit(rs, to);
        long physStart = base + rs * unit;
        long physEnd = base + re * unit;
        done.add(new AcceptedRange(physStart, physEnd, platform.accept(physStart, physEnd, phase)));
        bitmap.clear(rs, re);
        rs = bitmap.nextSetBit(re, to);
      }
    } finally {
      lock.unlock();
    }
    for (AcceptedRange r : done) {
      listener.accepted(phase, trigger, r.start(), r.end(), r.operations());
    }
    return done;
  }

  /**
   * Returns whether any unit overlapping {@code [start, end)} is unaccepted, without the guard unit
   * or the kernel's stepping: the raw question an invariant check asks.
   */
  public boolean anyUnacceptedIn(long start, long end) {
    if (table == null || end <= start) {
      return false;
    }
    long base = table.physBase();
    long unit = table.unitSize();
    long s = Math.max(start, base) - base;
    long e = end - base;
    if (end <= base) {
      return false;
    }
    long from = s / unit;
    long to = Math.min((e + unit - 1) / unit, table.bitmap().size());
    if (from >= to) {
      return false;
    }
    lock.lock();
    try {
      return table.bitmap().nextSetBit(from, to) >= 0;
    } finally {
      lock.unlock();
    }
  }

  /** Models {@code range_contains_unaccepted_memory(start, end)} (6.5 signature). */
  public boolean rangeContainsUnacceptedMemory(long start, long end) {
    long[] r = clip(start, end, true);
    if (r == null || r[0] >= r[1]) {
      return false;
    }
    long unit = table.unitSize();
    // cur = start, start + unit, ... while cur < end tests the units start/unit .. +steps-1
    long steps = (r[1] - r[0] + unit - 1) / unit;
    long first = r[0] / unit;
    lock.lock();
    try {
      return table.bitmap().nextSetBit(first, first + steps) >= 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether the 4 KiB page at {@code pfn} counts as unaccepted (pfn_is_unaccepted_memory).
   */
  public boolean pfnIsUnacceptedMemory(long pfn) {
    long phys = pfn << 12;
    return rangeContainsUnacceptedMemory(phys, phys + 4096);
  }

  /** Returns the bytes the bitmap still marks unaccepted. */
  public long unacceptedBytes() {
    if (table == null) {
      return 0;
    }
    lock.lock();
    try {
      return table.unacceptedBytes();
    } finally {
      lock.unlock();
    }
  }

  /** Returns the maximal runs of set bits as half-open {@code [from, to)} bit-index pairs. */
  public List<long[]> unacceptedRuns() {
    List<long[]> runs = new ArrayList<>();
    if (table == null) {
      return runs;
    }
    lock.lock();
    try {
      UnitBitmap b = table.bitmap();
      long i = b.nextSetBit(0, b.size());
      while (i >= 0) {
        long e = b.nextClearBit(i, b.size());
        runs.add(new long[] {i, e});
        i = b.nextSetBit(e, b.size());
      }
    } finally {
      lock.unlock();
    }
    return runs;
  }

  /**
   * Returns the start of the first unaccepted unit at or above {@code phys}, or -1 if there is
   * none. Lets the allocator's hand-over skip accepted memory in whole stretches.
   */
  public long nextUnacceptedAtOrAbove(long phys) {
    if (table == null) {
      return -1;
    }
    long base = table.physBase();
    long unit = table.unitSize();
    long from = phys <= base ? 0 : (phys - base) / unit;
    lock.lock();
    try {
      UnitBitmap b = table.bitmap();
      long i = b.nextSetBit(from, b.size());
      return i < 0 ? -1 : base + i * unit;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the end of the run of unaccepted units that contains {@code phys}, or {@code phys}
   * itself if its unit is accepted.
   */
  public long unacceptedRunEnd(long phys) {
    if (table == null) {
      return phys;
    }
    long base = table.physBase();
    long unit = table.unitSize();
    if (phys < base) {
      return phys;
    }
    long u = (phys - base) / unit;
    lock.lock();
    try {
      UnitBitmap b = table.bitmap();
      if (u >= b.size() || !b.get(u)) {
        return phys;
      }
      return base + b.nextClearBit(u, b.size()) * unit;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the guard-extended, clamped unit range of accept_memory, or null if none applies. */
  private long[] unitRange(long start, long end) {
    long[] r = clip(start, end, true);
    if (r == null) {
      return null;
    }
    long unit = table.unitSize();
    return new long[] {r[0] / unit, (r[1] + unit - 1) / unit};
  }

  /**
   * The first steps both kernel functions share: clip to phys_base (giving up if {@code end <
   * phys_base}), translate to offsets, extend an aligned end by the guard unit if asked, clamp to
   * the bitmap's capacity. Returns {start, end} offsets, or null when there is nothing to do.
   */
  private long[] clip(long start, long end, boolean guard) {
    if (table == null) {
      return null;
    }
    long base = table.physBase();
    long unit = table.unitSize();
    if (start < base) {
      start = base;
    }
    if (end < base) {
      return null;
    }
    start -= base;
    end -= base;
    if (guard && end % unit == 0) {
      end += unit;
    }
    long cap = table.capacityBytes();
    if (end > cap) {
      end = cap;
    }
    return new long[] {start, end};
  }

  private boolean overlapsInFlight(long[] range) {
    for (long[] entry : acceptingList) {
      if (entry[1] <= range[0] || entry[0] >= range[1]) {
        continue;
      }
      return true;
    }
    return false;
  }
}
