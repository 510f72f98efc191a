package io.cvmsim.core.mm;

/**
 * Models the compaction fields of {@code struct zone} (include/linux/mmzone.h, CONFIG_COMPACTION):
 * where the scanners resume ({@code compact_cached_free_pfn}, {@code compact_cached_migrate_pfn[]}
 * for async and sync compaction), where a full pass starts ({@code compact_init_migrate_pfn},
 * {@code compact_init_free_pfn}), the deferral state ({@code compact_considered}, {@code
 * compact_defer_shift}, {@code compact_order_failed}, see {@link CompactionDefer}) and whether the
 * pageblock skip hints should be flushed ({@code compact_blockskip_flush}). All start at zero, as
 * the kernel's zeroed pgdat does. Mutated only under the VM lock.
 */
final class ZoneCompaction {

  long cachedFreePfn;
  final long[] cachedMigratePfn = new long[2];
  long initMigratePfn;
  long initFreePfn;
  int considered;
  int deferShift;
  int orderFailed;
  boolean blockskipFlush;
}
