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
 */
public record VmSettings(
    AcceptCosts acceptCosts,
    BootCosts bootCosts,
    long maxBitmapBytes,
    int acceptLogCapacity,
    boolean checkInvariants) {

  /**
   * Defaults: the documented cost models, a 16 MiB bitmap (128 TiB), 100 000 log entries, no
   * self-checks.
   */
  public static final VmSettings DEFAULTS =
      new VmSettings(AcceptCosts.DEFAULTS, BootCosts.DEFAULTS, 16 * Sizes.MIB, 100_000, false);

  /** Returns these settings with self-checks on or off. */
  public VmSettings withCheckInvariants(boolean on) {
    return new VmSettings(acceptCosts, bootCosts, maxBitmapBytes, acceptLogCapacity, on);
  }
}
