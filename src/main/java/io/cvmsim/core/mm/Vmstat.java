package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;

/**
 * The node-wide event counters the allocator keeps (enum vm_event_item of mm/vmstat.c, and the
 * simulator's own per-order success and failure counts). Per-zone counters live in {@link Zone}.
 */
final class Vmstat {

  /** PGFREE: pages freed to the buddy allocator. */
  long pgfree;

  /** PAGEOUTRUN: balance_pgdat() runs, one per mm_vmscan_kswapd_wake. */
  long pageoutrun;

  /** mm_vmscan_wakeup_kswapd events: allocations that woke (or would wake) a sleeping kswapd. */
  long wakeupKswapd;

  /** mm_vmscan_kswapd_sleep events. */
  long kswapdSleeps;

  /** PGSCAN_KSWAPD, PGSCAN_DIRECT: pages scanned on the inactive lists. */
  long pgscanKswapd;

  long pgscanDirect;

  /** PGSTEAL_KSWAPD, PGSTEAL_DIRECT: pages reclaimed. */
  long pgstealKswapd;

  long pgstealDirect;

  /** PGSCAN_ANON, PGSCAN_FILE, PGSTEAL_ANON, PGSTEAL_FILE. */
  long pgscanAnon;

  long pgscanFile;
  long pgstealAnon;
  long pgstealFile;

  /** PGACTIVATE, PGDEACTIVATE, PGREFILL (pages scanned on the active lists), PGROTATED. */
  long pgactivate;

  long pgdeactivate;
  long pgrefill;
  long pgrotated;

  /** ALLOCSTALL_{zone}: direct reclaims, by the highest zone they reclaimed for. */
  final long[] allocstall = new long[ZoneType.COUNT];

  /** NR_VMSCAN_IMMEDIATE: dirty folios reclaim found and marked to reclaim once written. */
  long nrVmscanImmediate;

  /** NR_DIRTIED, NR_WRITTEN. */
  long nrDirtied;

  long nrWritten;

  /** Allocations that failed where the kernel would call the OOM killer. */
  long oomFailures;

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
