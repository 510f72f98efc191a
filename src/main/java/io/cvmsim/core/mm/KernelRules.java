package io.cvmsim.core.mm;

import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.ProcDialect;

/**
 * Everything in which the kernels cvmsim models differ, as named behaviours. The allocator, the
 * watermark arithmetic and the views ask a VM's rules and never test which kernel it runs: adding a
 * kernel means adding a class that implements (or extends one that implements) this interface and a
 * constant in {@link KernelModel}.
 *
 * <p>Each method names the kernel function whose behaviour it decides.
 */
interface KernelRules {

  /** Returns how {@code __rmqueue()} falls back to other migrate types' free lists. */
  FallbackPolicy fallback();

  /**
   * Returns how {@code get_page_from_freelist()} accepts parked unaccepted memory ({@link
   * AcceptOnDemand#NONE} without unaccepted memory support).
   */
  AcceptOnDemand acceptOnDemand();

  /**
   * Returns whether the kernel supports unaccepted memory (CONFIG_UNACCEPTED_MEMORY and the EFI
   * stub's table): without it the firmware accepts all memory before handing over.
   */
  boolean supportsUnacceptedMemory();

  /**
   * Models whether {@code accept_memory()} (drivers/firmware/efi/unaccepted_memory.c) holds
   * unaccepted_memory_lock across {@code arch_accept_memory()}, so that concurrent callers (the
   * deferred-init threads with accept_memory=eager) accept one after another.
   */
  boolean serialisesAcceptance();

  /** Returns the dialect of /proc/meminfo, /proc/vmstat and /proc/zoneinfo. */
  ProcDialect procDialect();

  /**
   * Models {@code __zone_watermark_unusable_free()}: the free pages of {@code zone} an allocation
   * of {@code order} with {@code allocFlags} may not count against a watermark.
   */
  long unusableFree(Zone zone, int order, int allocFlags);

  /** Models whether {@code __setup_per_zone_wmarks()} counts a zone's pages in lowmem_pages. */
  boolean countsInLowmemPages(ZoneType zone);

  /**
   * Models the min watermark {@code __setup_per_zone_wmarks()} gives a zone with {@code managed}
   * pages whose proportional share of min_free_kbytes is {@code share} pages.
   */
  long minWatermark(ZoneType zone, long managed, long share);

  /**
   * Models one entry of {@code setup_per_zone_lowmem_reserve()}: the pages a lower zone with {@code
   * lowerManaged} pages and reserve ratio {@code ratio} keeps from allocations that may use an
   * upper zone with {@code upperManaged} pages, where {@code upperSum} sums the managed pages of
   * every zone from the one above the lower zone up to that upper zone.
   */
  long lowmemReserve(int ratio, long lowerManaged, long upperManaged, long upperSum);

  /** Returns the alloc flags with which {@code rmqueue_buddy()} falls back to HIGHATOMIC lists. */
  int highatomicFallbackFlags();

  /** Returns how the per-cpu page lists size their bulk operations. */
  PcpPolicy pcpPolicy();

  /** Returns how {@code reserve_highatomic_pageblock()} reserves pageblocks. */
  HighatomicReserve highatomicReserve();

  /**
   * Models how {@code __free_pages_ok()} hands a block of {@code order} to {@code
   * __free_one_page()}: returns the order of the pieces it is freed in.
   */
  int freePieceOrder(int order);

  /**
   * Models {@code __free_one_page()} merging a block of pageblock order or more whose pageblock
   * type is {@code mergingType} with a buddy whose pageblock type is {@code buddyType}: returns the
   * type the buddy's pageblock has after the merge.
   */
  int mergedBuddyType(int buddyType, int mergingType);

  /**
   * Models whether changing a pageblock's migrate type also moves its free blocks to the new type's
   * lists ({@code move_freepages_block()} in {@code __isolate_free_page()}): the v6.10 freelist
   * hygiene, under which free lists always match their pageblock.
   */
  boolean movesFreePagesWithPageblock();

  /**
   * Models whether compaction's migrate scanner isolates a movable folio (a compound or
   * above-order-0 movable allocation) of {@code folioOrder} when compacting for {@code targetOrder}
   * (-1 for a whole-zone pass): never before v6.9, afterwards unless {@code
   * skip_isolation_on_order()} says the folio is as large as the target or a pageblock.
   */
  boolean migratesFolio(int folioOrder, int targetOrder);

  /**
   * Models when the migrate scanner marks a pageblock skipped on isolating its first candidate
   * ({@code test_and_set_skip()} in {@code isolate_migratepages_block()}): true if whenever the
   * scan started at the pageblock's start (v6.5 on), false if only when that first candidate is the
   * pageblock's first page (v6.1).
   */
  boolean skipHintFromBlockStart();

  /**
   * Models whether proactive compaction counts its scanning in compact_daemon_migrate_scanned and
   * compact_daemon_free_scanned (v6.3 on).
   */
  boolean countsProactiveKcompactdScans();

  /** Returns how compaction keeps the free pages it isolated ({@code cc->freepages}). */
  CompactionFreepages.Layout compactionFreepages();
}
