package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;

/**
 * The node-wide event counters the allocator keeps (enum vm_event_item of mm/vmstat.c, and the
 * simulator's own per-order success and failure counts). Per-zone counters live in {@link Zone}.
 */
final class Vmstat {

  /** PGFREE: pages freed to the buddy allocator. */
  long pgfree;

  /** Times kswapd was woken with a boosted watermark. */
  long kswapdWakeups;

  /** Parked chunks accepted on demand. */
  long acceptedChunks;

  /** mm_page_alloc_zone_locked events: blocks taken from the buddy lists under the zone lock. */
  long zoneLocked;

  /** mm_page_pcpu_drain events: blocks sent back from per-cpu lists to the buddy lists. */
  long pcpDrain;

  /** Allocations that succeeded, per order. */
  final long[] allocOk = new long[Sizes.NR_ORDERS];

  /** Allocations that failed, per order. */
  final long[] allocFailed = new long[Sizes.NR_ORDERS];

  /** Allocations freed, per order. */
  final long[] freed = new long[Sizes.NR_ORDERS];

  /** PGMIGRATE_SUCCESS: pages migrated. */
  long pgmigrateSuccess;

  /** PGMIGRATE_FAIL: pages that failed to migrate. */
  long pgmigrateFail;

  /** COMPACTMIGRATE_SCANNED: pages the migrate scanner looked at. */
  long compactMigrateScanned;

  /** COMPACTFREE_SCANNED: pages the free scanner looked at. */
  long compactFreeScanned;

  /** COMPACTISOLATED: pages isolated, by both scanners. */
  long compactIsolated;

  /** COMPACTSTALL: direct compactions that ran in at least one zone. */
  long compactStall;

  /** COMPACTFAIL: direct compactions after which the allocation still failed. */
  long compactFail;

  /** COMPACTSUCCESS: direct compactions after which the allocation succeeded. */
  long compactSuccess;

  /** KCOMPACTD_WAKE: kcompactd_do_work() runs. */
  long kcompactdWake;

  /** KCOMPACTD_MIGRATE_SCANNED. */
  long kcompactdMigrateScanned;

  /** KCOMPACTD_FREE_SCANNED. */
  long kcompactdFreeScanned;

  /** Firings of the compaction tracepoints, by {@link CompactionEvent}. */
  final long[] compactionEvents = new long[CompactionEvent.values().length];

  /** Counts one firing of a compaction tracepoint. */
  void compaction(CompactionEvent e) {
    compactionEvents[e.ordinal()]++;
  }
}
