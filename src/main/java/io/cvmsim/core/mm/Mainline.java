package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.ProcDialect;

/**
 * The rules of mainline as kernel-behaviour.md §10 reconstructs it: unaccepted memory is accepted
 * on every zone visit up to the promo watermark and no longer counts as unusable (807174a93d24);
 * fallbacks claim whole pageblocks or steal single blocks (v6.15); free lists always match their
 * pageblock (v6.10); the highatomic term is the free highatomic pages (v6.13); large blocks are
 * freed per pageblock.
 */
class Mainline implements KernelRules {

  private static final FallbackPolicy FALLBACK = new ClaimStealFallback();
  private static final AcceptOnDemand ACCEPT = new CondAcceptMemory();

  /** SWAP_CLUSTER_MAX, the floor of a highmem/Movable zone's min watermark. */
  static final long SWAP_CLUSTER_MAX = 32;

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
   * Since 50e782a86c98 (v6.6) accept_memory() registers its range on accepting_list and releases
   * unaccepted_memory_lock while arch_accept_memory() runs
   * (drivers/firmware/efi/unaccepted_memory.c at 35e02583): callers on different units accept in
   * parallel.
   */
  @Override
  public boolean serialisesAcceptance() {
    return false;
  }

  @Override
  public ProcDialect procDialect() {
    return ProcDialect.MAINLINE;
  }

  @Override
  public long unusableFree(Zone zone, int order, int allocFlags) {
    long unusable = (1L << order) - 1;
    if ((allocFlags & AllocFlags.RESERVES) == 0) {
      unusable += zone.nrFreeHighatomic;
    }
    return unusable;
  }

  /** The Movable zone is left out of lowmem_pages. */
  @Override
  public boolean countsInLowmemPages(ZoneType zone) {
    return zone != ZoneType.MOVABLE;
  }

  /** A Movable zone's min watermark is clamp(managed / 1024, 32, 128), like highmem's. */
  @Override
  public long minWatermark(ZoneType zone, long managed, long share) {
    if (zone != ZoneType.MOVABLE) {
      return share;
    }
    return Math.max(SWAP_CLUSTER_MAX, Math.min(managed / 1024, 128));
  }

  /**
   * As 6.5: an empty upper zone is protected against like any other. 96a5c186efff gave it 0 for a
   * while; eae116d1f044 reverted that (and went to 6.12 stable).
   */
  @Override
  public long lowmemReserve(int ratio, long lowerManaged, long upperManaged, long upperSum) {
    return ratio == 0 || lowerManaged == 0 ? 0 : upperSum / ratio;
  }

  /**
   * rmqueue_buddy() falls back to the HIGHATOMIC lists for ALLOC_OOM and for non-blocking (atomic)
   * allocations of any order ("mm/page_alloc: let GFP_ATOMIC order-0 allocs access highatomic
   * reserves", backported to stable).
   */
  @Override
  public int highatomicFallbackFlags() {
    return AllocFlags.OOM | AllocFlags.NON_BLOCK;
  }

  @Override
  public PcpPolicy pcpPolicy() {
    return PcpPolicy.ADAPTIVE;
  }

  @Override
  public HighatomicReserve highatomicReserve() {
    return HighatomicReserve.BY_ORDER;
  }

  /** split_large_buddy(): a block above pageblock_order is freed one pageblock at a time. */
  @Override
  public int freePieceOrder(int order) {
    return Math.min(order, Sizes.PAGEBLOCK_ORDER);
  }

  /** A merge across pageblocks converts the buddy's pageblock (v6.10 freelist hygiene). */
  @Override
  public int mergedBuddyType(int buddyType, int mergingType) {
    return mergingType;
  }

  /** move_freepages_block() moves a pageblock's free blocks with its type (v6.10). */
  @Override
  public boolean movesFreePagesWithPageblock() {
    return true;
  }

  /**
   * skip_isolation_on_order() (mm/compaction.c, Zi Yan, "mm/compaction: enable compacting >0 order
   * folios", v6.9): a folio is migrated unless it is at least the target order (outside a
   * whole-zone pass) or at least a pageblock.
   */
  @Override
  public boolean migratesFolio(int folioOrder, int targetOrder) {
    return !((targetOrder != -1 && folioOrder >= targetOrder)
        || folioOrder >= Sizes.PAGEBLOCK_ORDER);
  }

  /** As 6.5. */
  @Override
  public boolean skipHintFromBlockStart() {
    return true;
  }

  /** As 6.5. */
  @Override
  public boolean countsProactiveKcompactdScans() {
    return true;
  }

  /**
   * Isolated free blocks are kept per order and split on allocation ("mm/compaction: add support
   * for >0 order folio memory compaction", "optimize >0 order folio compaction with free page
   * split", v6.9).
   */
  @Override
  public CompactionFreepages.Layout compactionFreepages() {
    return CompactionFreepages.Layout.BY_ORDER;
  }
}
