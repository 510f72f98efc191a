package io.cvmsim.core.accept;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.RangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The hypervisor's side of one guest: the private memory it had to back because the guest accepted
 * it, the accept operations it served by page size, and the simulated time spent. It also proves
 * that no byte is ever accepted twice (a real TDX module would fail such a TDG.MEM.PAGE.ACCEPT with
 * TDX_PAGE_ALREADY_ACCEPTED and the kernel would panic): a second accept of any byte throws {@link
 * IllegalStateException}, which is a simulator bug by definition. Thread safe.
 */
public final class HostMemory implements AcceptListener {

  private final RangeSet accepted = new RangeSet();
  private final long[] ops = new long[3];
  private final long[] failed = new long[3];
  private final long[] bytesByTrigger = new long[AcceptTrigger.values().length];
  private long preBackedBytes;
  private long exits;
  private long nanos;
  private long calls;

  @Override
  public synchronized void accepted(
      AcceptPhase phase, AcceptTrigger trigger, long start, long end, AcceptOperations o) {
    if (!accepted.addDisjoint(start, end)) {
      throw new IllegalStateException(
          "memory accepted twice: ["
              + Long.toHexString(start)
              + ", "
              + Long.toHexString(end)
              + ") overlaps memory already accepted");
    }
    ops[0] += o.ops4k();
    ops[1] += o.ops2m();
    ops[2] += o.ops1g();
    failed[1] += o.failed2m();
    failed[2] += o.failed1g();
    exits += o.hypervisorExits();
    nanos += o.simulatedNanos();
    bytesByTrigger[trigger.ordinal()] += end - start;
    calls++;
  }

  /**
   * Records memory the host backs without any acceptance (a plain VM, whose RAM is backed as it
   * would be with preallocated guest memory).
   */
  public synchronized void backWithoutAccept(long bytes) {
    preBackedBytes += bytes;
  }

  /** Returns the bytes the host had to back. */
  public synchronized long backedBytes() {
    return accepted.totalLength() + preBackedBytes;
  }

  /** Returns the accept operations served at one page size. */
  public synchronized long operations(PageSize size) {
    return ops[size.level()];
  }

  /** Returns the accept attempts refused for a page-size mismatch at one page size. */
  public synchronized long failedOperations(PageSize size) {
    return failed[size.level()];
  }

  /** Returns the bytes accepted for one trigger. */
  public synchronized long acceptedBytes(AcceptTrigger trigger) {
    return bytesByTrigger[trigger.ordinal()];
  }

  /** Returns the exits to the hypervisor (TDCALLs or page-state-change VMGEXITs). */
  public synchronized long hypervisorExits() {
    return exits;
  }

  /** Returns the simulated time spent accepting, in nanoseconds. */
  public synchronized long simulatedNanos() {
    return nanos;
  }

  /** Returns the number of arch_accept_memory() calls. */
  public synchronized long calls() {
    return calls;
  }

  /**
   * The host's side as a snapshot holds it.
   *
   * @param acceptedRanges the accepted ranges, ascending, as {start, end}
   * @param operations accept operations at 4K, 2M and 1G
   * @param failedOperations refused accepts at 4K, 2M and 1G
   * @param acceptedBytesByTrigger accepted bytes by {@link AcceptTrigger} ordinal
   * @param preBackedBytes memory backed without acceptance (a plain VM)
   * @param hypervisorExits exits to the hypervisor
   * @param simulatedNanos simulated accept time
   * @param calls arch_accept_memory() calls
   */
  public record State(
      List<long[]> acceptedRanges,
      long[] operations,
      long[] failedOperations,
      long[] acceptedBytesByTrigger,
      long preBackedBytes,
      long hypervisorExits,
      long simulatedNanos,
      long calls) {}

  /** Returns a copy of the whole state. */
  public synchronized State state() {
    List<long[]> ranges = new ArrayList<>(accepted.size());
    for (int i = 0; i < accepted.size(); i++) {
      ranges.add(accepted.range(i));
    }
    return new State(
        ranges,
        ops.clone(),
        failed.clone(),
        bytesByTrigger.clone(),
        preBackedBytes,
        exits,
        nanos,
        calls);
  }

  /**
   * Returns a host side with this state.
   *
   * @throws IllegalArgumentException if ranges are empty, unsorted or overlap, or an array has the
   *     wrong length
   */
  public static HostMemory of(State s) {
    HostMemory h = new HostMemory();
    if (s.operations().length != h.ops.length
        || s.failedOperations().length != h.failed.length
        || s.acceptedBytesByTrigger().length != h.bytesByTrigger.length) {
      throw new IllegalArgumentException("the host's counter arrays have the wrong length");
    }
    long prevEnd = Long.MIN_VALUE;
    for (long[] r : s.acceptedRanges()) {
      if (r[0] >= r[1] || r[0] < prevEnd) {
        throw new IllegalArgumentException(
            "the accepted range [0x"
                + Long.toHexString(r[0])
                + ", 0x"
                + Long.toHexString(r[1])
                + ") is empty, out of order or overlaps the one before");
      }
      h.accepted.addDisjoint(r[0], r[1]);
      prevEnd = r[1];
    }
    System.arraycopy(s.operations(), 0, h.ops, 0, h.ops.length);
    System.arraycopy(s.failedOperations(), 0, h.failed, 0, h.failed.length);
    System.arraycopy(s.acceptedBytesByTrigger(), 0, h.bytesByTrigger, 0, h.bytesByTrigger.length);
    h.preBackedBytes = s.preBackedBytes();
    h.exits = s.hypervisorExits();
    h.nanos = s.simulatedNanos();
    h.calls = s.calls();
    return h;
  }

  /** Returns whether every byte of {@code [start, end)} has been accepted. */
  public synchronized boolean isAccepted(long start, long end) {
    return accepted.covers(start, end);
  }

  /** Returns the number of disjoint accepted ranges held (the cost of the double-accept proof). */
  public synchronized int rangeCount() {
    return accepted.size();
  }
}
