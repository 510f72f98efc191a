package io.cvmsim.core.vm;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.memory.Sizes;

/**
 * Service-wide settings every guest is built with.
 *
 * @param acceptCosts the acceptance cost model
 * @param bootCosts the boot cost model
 * @param maxBitmapBytes the largest unaccepted bitmap a guest may have (the kernel's table size)
 * @param acceptLogCapacity the accept-log entries kept per guest
 * @param checkInvariants whether a guest checks its invariants after every command that changes it
 * @param maxBatches the batches (allocation requests) a guest remembers for freeing by batch, 1 to
 *     {@link GuestVm#MAX_BATCHES}
 * @param maxBatchBytes the bytes a guest spends on remembering its batches' blocks
 */
public record VmSettings(
    AcceptCosts acceptCosts,
    BootCosts bootCosts,
    long maxBitmapBytes,
    int acceptLogCapacity,
    boolean checkInvariants,
    int maxBatches,
    long maxBatchBytes) {

  /**
   * Defaults: the documented cost models, a 16 MiB bitmap (128 TiB), 100 000 log entries, no
   * self-checks, 1024 batches in 16 MiB.
   */
  public static final VmSettings DEFAULTS =
      new VmSettings(
          AcceptCosts.DEFAULTS,
          BootCosts.DEFAULTS,
          16 * Sizes.MIB,
          100_000,
          false,
          1024,
          16 * Sizes.MIB);

  /** Checks the batch limits. */
  public VmSettings {
    if (maxBatches < 1 || maxBatches > GuestVm.MAX_BATCHES) {
      throw new IllegalArgumentException(
          "max-batches must be between 1 and " + GuestVm.MAX_BATCHES + ", got " + maxBatches);
    }
    if (maxBatchBytes < 1) {
      throw new IllegalArgumentException("max-batch-bytes must be positive");
    }
  }

  /** Returns these settings with self-checks on or off. */
  public VmSettings withCheckInvariants(boolean on) {
    return new VmSettings(
        acceptCosts, bootCosts, maxBitmapBytes, acceptLogCapacity, on, maxBatches, maxBatchBytes);
  }

  /** Returns these settings with other batch limits. */
  public VmSettings withBatches(int batches, long bytes) {
    return new VmSettings(
        acceptCosts, bootCosts, maxBitmapBytes, acceptLogCapacity, checkInvariants, batches, bytes);
  }
}
