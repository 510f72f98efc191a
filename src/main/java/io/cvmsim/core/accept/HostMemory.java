package io.cvmsim.core.accept;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.RangeSet;

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

  /** Returns whether every byte of {@code [start, end)} has been accepted. */
  public synchronized boolean isAccepted(long start, long end) {
    return accepted.covers(start, end);
  }

  /** Returns the number of disjoint accepted ranges held (the cost of the double-accept proof). */
  public synchronized int rangeCount() {
    return accepted.size();
  }
}
