package io.cvmsim.core.vm;

import io.cvmsim.core.memory.Sizes;

/**
 * The capacity limits of the registry.
 *
 * @param maxVms the most live guests
 * @param maxMemoryPerVm the most RAM one guest may have
 * @param maxTotalMemory the most RAM all live guests may have together
 * @param maxSnapshotBytes the most bytes a snapshot to restore may inflate to
 */
public record VmLimits(
    int maxVms, long maxMemoryPerVm, long maxTotalMemory, long maxSnapshotBytes) {

  /** The default of {@code maxSnapshotBytes}: 256 MiB inflated. */
  public static final long DEFAULT_MAX_SNAPSHOT_BYTES = 256 * Sizes.MIB;

  /** Defaults: 64 guests, 4 TiB each, 64 TiB together, snapshots up to 256 MiB inflated. */
  public static final VmLimits DEFAULTS =
      new VmLimits(64, 4 * Sizes.TIB, 64 * Sizes.TIB, DEFAULT_MAX_SNAPSHOT_BYTES);

  /** Returns limits with the default snapshot size. */
  public VmLimits(int maxVms, long maxMemoryPerVm, long maxTotalMemory) {
    this(maxVms, maxMemoryPerVm, maxTotalMemory, DEFAULT_MAX_SNAPSHOT_BYTES);
  }
}
