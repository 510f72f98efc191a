package io.cvmsim.core.vm;

import io.cvmsim.core.accept.AcceptedRange;
import io.cvmsim.core.boot.BootPhase;
import java.time.Instant;
import java.util.List;

/** The immutable views a guest answers with. */
public final class VmViews {

  private VmViews() {}

  /**
   * A guest at a glance.
   *
   * @param id the server's id
   * @param name the user's label, or null
   * @param platform TDX, SNP or NONE
   * @param kernel "6.5" or "mainline"
   * @param acceptPolicy LAZY or EAGER
   * @param memoryBytes guest RAM
   * @param vcpus vCPUs
   * @param stage how far it booted
   * @param createdAt creation time
   * @param memory the memory block
   */
  public record Summary(
      String id,
      String name,
      Platform platform,
      String kernel,
      AcceptPolicy acceptPolicy,
      long memoryBytes,
      int vcpus,
      BootStage stage,
      Instant createdAt,
      Memory memory) {}

  /**
   * The memory block of a summary.
   *
   * @param totalBytes MemTotal once the kernel runs, else the usable RAM of the map
   * @param freeBytes MemFree once the kernel runs, else 0
   * @param unacceptedBytes the meminfo Unaccepted line once the kernel runs, else the bitmap's
   * @param bitmapUnacceptedBytes the bytes the unaccepted bitmap still marks
   * @param hostBackedBytes private memory the host had to back
   */
  public record Memory(
      long totalBytes,
      long freeBytes,
      long unacceptedBytes,
      long bitmapUnacceptedBytes,
      long hostBackedBytes) {}

  /**
   * The unaccepted memory table.
   *
   * @param present whether there is a table
   * @param version 1
   * @param unitSize bytes per bit
   * @param physBase the address of bit 0
   * @param sizeBytes the bitmap length in bytes
   * @param unacceptedUnits maximal runs of set bits as [from, to) bit indexes
   * @param unacceptedBytes the bytes the set bits cover
   * @param tablePhys where the table lies in guest memory, or -1 if not placed yet
   */
  public record Table(
      boolean present,
      int version,
      long unitSize,
      long physBase,
      long sizeBytes,
      List<long[]> unacceptedUnits,
      long unacceptedBytes,
      long tablePhys) {}

  /**
   * The answer to an explicit accept_memory() call.
   *
   * @param accepted one entry per arch_accept_memory() call
   * @param unacceptedBytes the bytes the bitmap still marks afterwards
   */
  public record Accepted(List<AcceptedRange> accepted, long unacceptedBytes) {}

  /**
   * The hypervisor's side.
   *
   * @param backedBytes private memory the host had to back
   * @param operations4k successful 4 KiB accepts
   * @param operations2m successful 2 MiB accepts
   * @param operations1g successful 1 GiB accepts
   * @param failedOperations2m 2 MiB accepts refused for a page-size mismatch
   * @param failedOperations1g 1 GiB accepts refused for a page-size mismatch
   * @param hypervisorExits TDCALLs or page-state-change VMGEXITs
   * @param calls arch_accept_memory() calls
   * @param simulatedAcceptNanos simulated time spent accepting
   * @param acceptedBytesByTrigger accepted bytes by trigger, in trigger order
   */
  public record Host(
      long backedBytes,
      long operations4k,
      long operations2m,
      long operations1g,
      long failedOperations2m,
      long failedOperations1g,
      long hypervisorExits,
      long calls,
      long simulatedAcceptNanos,
      long[] acceptedBytesByTrigger) {}

  /**
   * A batch: what one allocation request got.
   *
   * @param id the batch's id, unique in the guest (counts up from 1)
   * @param order the order of every block
   * @param migratetype the migrate type of every block, as /proc prints it
   * @param pfns the head pfns handed out, in the order they were allocated
   * @param failed how many of the requested blocks could not be allocated
   */
  public record Batch(long id, int order, String migratetype, long[] pfns, int failed) {}

  /**
   * The boot timeline.
   *
   * @param phases phases in order
   * @param totalNanos the sum of the phases
   * @param userspaceAtNanos when userspace started (boot-to-userspace time)
   */
  public record Boot(List<BootPhase> phases, long totalNanos, long userspaceAtNanos) {}
}
