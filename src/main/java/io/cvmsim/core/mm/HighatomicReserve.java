package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;

/**
 * Models {@code reserve_highatomic_pageblock()}: after a high-order atomic allocation succeeds, the
 * pageblock it came from is reserved as MIGRATE_HIGHATOMIC, up to about 1% of the zone.
 */
enum HighatomicReserve {

  /** 6.5: at most 1% of the zone plus one pageblock; always one pageblock. */
  PAGEBLOCK {
    @Override
    void reserve(Buddy buddy, Zone z, long pfn, int order) {
      long maxManaged = z.managedPages / 100 + Sizes.PAGEBLOCK_NR_PAGES;
      if (z.nrReservedHighatomic >= maxManaged || !reservable(buddy, pfn)) {
        return;
      }
      z.nrReservedHighatomic += Sizes.PAGEBLOCK_NR_PAGES;
      buddy.pageblocks.set(pfn, HIGHATOMIC);
      buddy.walkPageblock(z, pfn, HIGHATOMIC, false);
    }
  },

  /**
   * Mainline (v6.12+): nothing unless 1% of the zone is at least a pageblock, at most that 1%
   * rounded up to pageblocks; a block of pageblock order or more is reserved whole, a pageblock
   * that leaves the zone not at all.
   */
  BY_ORDER {
    @Override
    void reserve(Buddy buddy, Zone z, long pfn, int order) {
      if (z.managedPages / 100 < Sizes.PAGEBLOCK_NR_PAGES) {
        return;
      }
      long maxManaged = Sizes.alignUp(z.managedPages / 100, Sizes.PAGEBLOCK_NR_PAGES);
      if (z.nrReservedHighatomic >= maxManaged || !reservable(buddy, pfn)) {
        return;
      }
      if (order >= Sizes.PAGEBLOCK_ORDER) {
        buddy.pageblocks.setRange(pfn, order, HIGHATOMIC);
        z.nrReservedHighatomic += 1L << order;
        return;
      }
      if (buddy.walkPageblock(z, pfn, -1, true) == null) {
        return;
      }
      z.nrReservedHighatomic += Sizes.PAGEBLOCK_NR_PAGES;
      buddy.pageblocks.set(pfn, HIGHATOMIC);
      buddy.walkPageblock(z, pfn, HIGHATOMIC, true);
    }
  };

  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

  /** Reserves the pageblock(s) of the block {@code pfn} of {@code order} just allocated. */
  abstract void reserve(Buddy buddy, Zone z, long pfn, int order);

  /** Only pageblocks of the three per-cpu types can become highatomic. */
  private static boolean reservable(Buddy buddy, long pfn) {
    return buddy.pageblocks.get(pfn) < MigrateType.PCPTYPES;
  }
}
