package io.cvmsim.core.mm;

import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.ProcDialect;

/**
 * The rules of Linux 6.5, the release that merged unaccepted memory (mm/page_alloc.c at
 * dcdfdd40fa82): unaccepted memory counts as unusable in watermark checks and is accepted after a
 * failed check up to the high watermark; fallbacks steal whole free blocks and may leave a
 * pageblock's free lists and type disagreeing; the highatomic term is the reserved pageblocks.
 */
class Linux65 implements KernelRules {

  private static final FallbackPolicy FALLBACK = new StealFallback();
  private static final AcceptOnDemand ACCEPT = new TryToAcceptMemory();

  @Override
  public FallbackPolicy fallback() {
    return FALLBACK;
  }

  @Override
  public AcceptOnDemand acceptOnDemand() {
    return ACCEPT;
  }

  @Override
  public boolean supportsUnacceptedMemory() {
    return true;
  }

  /**
   * 6.5.0's accept_memory() (drivers/firmware/efi/unaccepted_memory.c at v6.5, from 2053bc57f367
   * and the guard c211c19e80d0) takes unaccepted_memory_lock with spin_lock_irqsave() and calls
   * arch_accept_memory() for every set bit range before releasing it. 50e782a86c98
   * ("efi/unaccepted: Fix soft lockups caused by parallel memory acceptance", v6.6, backported to
   * 6.5.y) drops the lock around the call and tracks the ranges in flight on accepting_list
   * instead.
   */
  @Override
  public boolean serialisesAcceptance() {
    return true;
  }

  @Override
  public ProcDialect procDialect() {
    return ProcDialect.LINUX_6_5;
  }

  /** The highatomic reserve counts whole, plus (until v6.11) NR_UNACCEPTED. */
  @Override
  public long unusableFree(Zone zone, int order, int allocFlags) {
    return highatomicAndOrder(zone, order, allocFlags) + zone.nrUnaccepted;
  }

  /** The part of the unusable free pages that 6.1 and 6.5 share. */
  static long highatomicAndOrder(Zone zone, int order, int allocFlags) {
    long unusable = (1L << order) - 1;
    if ((allocFlags & AllocFlags.RESERVES) == 0) {
      unusable += zone.nrReservedHighatomic;
    }
    return unusable;
  }

  @Override
  public boolean countsInLowmemPages(ZoneType zone) {
    return true;
  }

  /** Only highmem zones (none on x86-64) get a clamped min watermark. */
  @Override
  public long minWatermark(ZoneType zone, long managed, long share) {
    return share;
  }

  @Override
  public long lowmemReserve(int ratio, long lowerManaged, long upperManaged, long upperSum) {
    return ratio == 0 || lowerManaged == 0 ? 0 : upperSum / ratio;
  }

  /**
   * rmqueue_buddy() falls back to the HIGHATOMIC lists only for ALLOC_OOM (mm/page_alloc.c at
   * dcdfdd40fa82: "allow OOM handling access to HIGHATOMIC reserves").
   */
  @Override
  public int highatomicFallbackFlags() {
    return AllocFlags.OOM;
  }

  @Override
  public PcpPolicy pcpPolicy() {
    return PcpPolicy.STATIC;
  }

  @Override
  public HighatomicReserve highatomicReserve() {
    return HighatomicReserve.PAGEBLOCK;
  }

  /** A block is freed whole. */
  @Override
  public int freePieceOrder(int order) {
    return order;
  }

  /** A merge leaves the buddy's pageblock type alone. */
  @Override
  public int mergedBuddyType(int buddyType, int mergingType) {
    return buddyType;
  }

  /** A pageblock changes type alone; its free blocks stay on their lists until allocated. */
  @Override
  public boolean movesFreePagesWithPageblock() {
    return false;
  }

  /**
   * Compound pages are never migrated for compaction: isolate_migratepages_block() skips every
   * PageCompound page unless it is allocating contiguous ranges (mm/compaction.c before "enable
   * compacting >0 order folios", v6.9).
   */
  @Override
  public boolean migratesFolio(int folioOrder, int targetOrder) {
    return false;
  }

  /**
   * test_and_set_skip(cc, valid_page): the hint is set on the first isolation whenever the scan
   * started at the pageblock's start (Mel Gorman, "mm: compaction: Update pageblock skip when first
   * migration candidate is not at the start", May 2023, merged for v6.5).
   */
  @Override
  public boolean skipHintFromBlockStart() {
    return true;
  }

  /**
   * proactive_compact_node() counts KCOMPACTD_MIGRATE_SCANNED and KCOMPACTD_FREE_SCANNED (Baolin
   * Wang, "mm: compaction: Count the migration scanned pages events for proactive compaction",
   * January 2023, v6.3).
   */
  @Override
  public boolean countsProactiveKcompactdScans() {
    return true;
  }

  /** split_map_pages() splits every isolated free block into order-0 pages. */
  @Override
  public CompactionFreepages.Layout compactionFreepages() {
    return CompactionFreepages.Layout.SPLIT;
  }
}
