package io.cvmsim.core.vm;

import io.cvmsim.core.memory.Sizes;

/**
 * The capacity limits of the registry.
 *
 * @param maxVms the most live guests
 * @param maxMemoryPerVm the most RAM one guest may have
 * @param maxTotalMemory the most RAM all live guests may have together
 */
public record VmLimits(int maxVms, long maxMemoryPerVm, long maxTotalMemory) {

  /** Defaults: 64 guests, 4 TiB each, 64 TiB together. */
  public static final VmLimits DEFAULTS = new VmLimits(64, 4 * Sizes.TIB, 64 * Sizes.TIB);
}
