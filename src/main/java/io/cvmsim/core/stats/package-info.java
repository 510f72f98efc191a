/**
 * Immutable snapshots of a guest's memory and the renderers that print them in the kernel's own
 * formats: /proc/meminfo, /proc/vmstat, /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo and
 * debugfs extfrag/extfrag_index and extfrag/unusable_index (fs/proc/meminfo.c, mm/vmstat.c).
 *
 * <pre>
 *   node ── zone[DMA, DMA32, Normal, Movable, Device]
 *             └── free_area[order 0..10]
 *                   └── free_list[Unmovable, Movable, Reclaimable, HighAtomic, CMA, Isolate]
 *             └── unaccepted_pages: parked 4 MiB chunks (counted in NR_FREE_PAGES)
 * </pre>
 */
package io.cvmsim.core.stats;
