package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models the watermark checks of mm/page_alloc.c: {@code __zone_watermark_ok()} and {@code
 * zone_watermark_fast()}, with the unusable free pages as the kernel's rules count them.
 */
final class WatermarkCheck {

  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

  private final FreeAreas free;
  private final KernelRules rules;

  WatermarkCheck(FreeAreas free, KernelRules rules) {
    this.free = free;
    this.rules = rules;
  }

  /** Models {@code __zone_watermark_ok()}. */
  boolean ok(Zone z, int order, long mark, int highestIdx, int allocFlags, long freePages) {
    long min = mark;
    freePages -= rules.unusableFree(z, order, allocFlags);
    if ((allocFlags & AllocFlags.RESERVES) != 0) {
      if ((allocFlags & AllocFlags.MIN_RESERVE) != 0) {
        min -= min / 2;
        if ((allocFlags & AllocFlags.NON_BLOCK) != 0) {
          min -= min / 4;
        }
      }
      if ((allocFlags & AllocFlags.OOM) != 0) {
        min -= min / 2;
      }
    }
    if (freePages <= min + z.lowmemReserve[highestIdx]) {
      return false;
    }
    if (order == 0) {
      return true;
    }
    for (int o = order; o <= Sizes.MAX_ORDER; o++) {
      if (free.nrFree(z.idx, o) == 0) {
        continue;
      }
      for (int mt = 0; mt < MigrateType.PCPTYPES; mt++) {
        if (!free.isEmpty(z.idx, o, mt)) {
          return true;
        }
      }
      if ((allocFlags & (AllocFlags.HIGHATOMIC | AllocFlags.OOM)) != 0
          && !free.isEmpty(z.idx, o, HIGHATOMIC)) {
        return true;
      }
    }
    return false;
  }

  /** Models {@code zone_watermark_fast()}. */
  boolean fast(Zone z, int order, long mark, int highestIdx, int allocFlags) {
    long freePages = z.nrFreePages;
    if (order == 0) {
      long reserved = rules.unusableFree(z, 0, allocFlags);
      long usable = freePages - Math.min(freePages, reserved);
      if (usable > mark + z.lowmemReserve[highestIdx]) {
        return true;
      }
    }
    if (ok(z, order, mark, highestIdx, allocFlags, freePages)) {
      return true;
    }
    if (order == 0
        && (allocFlags & AllocFlags.MIN_RESERVE) != 0
        && z.watermarkBoost != 0
        && (allocFlags & AllocFlags.WMARK_MASK) == AllocFlags.WMARK_MIN) {
      return ok(z, order, z.watermark[AllocFlags.WMARK_MIN], highestIdx, allocFlags, freePages);
    }
    return false;
  }
}
