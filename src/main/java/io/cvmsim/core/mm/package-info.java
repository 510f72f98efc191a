/**
 * The page allocator of one node, file by file as in the kernel's mm/: what one guest's kernel does
 * with its memory after the EFI stub handed it over.
 *
 * <pre>
 *  PageAllocator ── __alloc_pages ─► get_page_from_freelist ─► rmqueue ─► FallbackPolicy
 *       │                 │  zonelist: Normal → DMA32 → DMA          (StealFallback 6.1/6.5,
 *       │                 │  WatermarkCheck, AcceptOnDemand           ClaimStealFallback ML)
 *       │                 ▼                                                  │ BuddyLists
 *       │   zones[ZoneType] ── struct zone: span, managed, NR_FREE_PAGES,    ▼
 *       │     │                watermark[MIN..PROMO] + boost, lowmem_reserve[]   Buddy
 *       │     │
 *       │     ├─ free_area[order 0..10]                      (FreeAreas, all zones in one
 *       │     │     └─ free_list[migratetype]                 struct of arrays, indexed by pfn)
 *       │     │           UNMOVABLE MOVABLE RECLAIMABLE HIGHATOMIC CMA ISOLATE
 *       │     │           ◄─ free blocks, head pfn aligned to 2^order ─►
 *       │     │
 *       │     ├─ unaccepted_pages: MAX_ORDER (4 MiB) chunks, FIFO   (ParkedChunks; ParkedMemory
 *       │     │     counted in NR_FREE_PAGES and NR_UNACCEPTED       parks and accepts them,
 *       │     │     never on a free list until accepted              ParkedZone for AcceptOnDemand)
 *       │     │
 *       │     └─ per_cpu_pageset[cpu] ─► lists[order, migratetype]   (where per-cpu page lists
 *       │             pages here are not in NR_FREE_PAGES              will sit: between rmqueue
 *       │                                                              and the buddy lists)
 *       ├─ Pageblocks: a migratetype per 512-page pageblock, counts per zone
 *       ├─ LiveAllocations: head pfn → order, migratetype, compound, owned of every allocated
 *       │     block; handle ↔ pfn for the blocks compaction migrated
 *       ├─ PageCache: mappings (file, tmpfs, anon) ─► folios (by handle) on Lru's four lists;
 *       │     Writeback
 *       ├─ reclaim: Kswapd (woken below low, runs after the allocation that woke it,
 *       │     ZONE_RECLAIM_ACTIVE, holds the boost, wakes kcompactd), DirectReclaim (slow path),
 *       │     Vmscan (shrink_node)
 *       ├─ compaction: Compaction (compact_zone) ─ MigrateScanner, FreeScanner, Migration;
 *       │     DirectCompaction (slow path, before and after direct reclaim), Kcompactd,
 *       │     CompactionDefer, PageblockSkip
 *       ├─ Watermarks (setup), HighatomicReserve, MemblockFreeAll (boot hand-over)
 *       └─ Vmstat counters ─► VmstatSnapshot ─► core.stats.MemorySnapshot (what /proc prints)
 * </pre>
 *
 * <p>Kernel differences are behaviours: {@link io.cvmsim.core.mm.KernelModel} names a kernel and
 * holds its {@code KernelRules} (Linux61, Linux65, Mainline), which every part asks instead of
 * testing the kernel. Everything here runs under the owning VM's lock; nothing is thread safe on
 * its own. The simulator's cost follows what the guest touches: free memory is buddy blocks,
 * unaccepted memory is parked runs, per-page state exists only for allocated heads.
 */
package io.cvmsim.core.mm;
