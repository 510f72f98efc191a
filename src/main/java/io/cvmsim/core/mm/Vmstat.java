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
}
