package io.cvmsim.core.mm;

import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import org.junit.jupiter.api.Test;

/**
 * One scenario per allocator rule in which 6.5 and mainline differ, asserting the pageblock types
 * and free-list counts each kernel leaves behind (mm/page_alloc.c at dcdfdd40fa82 for 6.5; the
 * commits named in each test for mainline).
 */
class KernelDifferencesTest {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();
  private static final int DMA32 = ZoneType.DMA32.ordinal();

  private static PageAllocator eagerGuest(KernelModel k) {
    return Guests.boot(k, true, 256 * MIB, 256 * MIB, 2).allocator();
  }

  /** A guest whose DMA32 zone is large enough (1% over a pageblock) for mainline's reserve. */
  private static PageAllocator eagerGibGuest(KernelModel k) {
    return Guests.boot(k, true, 1024 * MIB, 1024 * MIB, 2).allocator();
  }

  /** Allocates an order-10 block of movable memory; returns its head. */
  private static long maxOrderBlock(PageAllocator a) {
    long pfn = a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, Sizes.MAX_ORDER);
    assertThat(pfn).isNotNegative();
    return pfn;
  }

  /**
   * Freeing an order-10 block whose second pageblock is not mergeable with its first: 6.5 frees it
   * whole onto the first pageblock's list; mainline frees it per pageblock (split_large_buddy(),
   * v6.10), so the two halves land on their own pageblocks' lists and do not merge.
   */
  @Test
  void freeingALargeBlockAcrossPageblockTypes_v65FreesItWhole_mainlineSplitsIt() {
    for (KernelModel k : new KernelModel[] {KernelModel.V6_5, KernelModel.MAINLINE}) {
      PageAllocator a = eagerGuest(k);
      long pfn = maxOrderBlock(a);
      a.pageblocks.set(pfn + Sizes.PAGEBLOCK_NR_PAGES, HIGHATOMIC);
      long freeMaxOrderBefore = a.buddy.free.count(DMA32, Sizes.MAX_ORDER, MOVABLE);
      a.freePages(0, pfn);
      FreeAreas free = a.buddy.free;
      if (k == KernelModel.V6_5) {
        assertThat(free.count(DMA32, Sizes.MAX_ORDER, MOVABLE)).isEqualTo(freeMaxOrderBefore + 1);
        assertThat(free.count(DMA32, Sizes.PAGEBLOCK_ORDER, HIGHATOMIC)).isZero();
        assertThat(a.zones[DMA32].nrFreeHighatomic).isZero();
      } else {
        assertThat(free.count(DMA32, Sizes.MAX_ORDER, MOVABLE)).isEqualTo(freeMaxOrderBefore);
        assertThat(free.find(pfn)).isNotEqualTo(FreeAreas.NIL);
        assertThat(free.order(free.find(pfn))).isEqualTo(Sizes.PAGEBLOCK_ORDER);
        assertThat(free.migratetype(free.find(pfn + Sizes.PAGEBLOCK_NR_PAGES)))
            .isEqualTo(HIGHATOMIC);
        assertThat(a.zones[DMA32].nrFreeHighatomic).isEqualTo(Sizes.PAGEBLOCK_NR_PAGES);
      }
      // the pageblock types themselves are left alone by both
      assertThat(a.pageblocks.get(pfn + Sizes.PAGEBLOCK_NR_PAGES)).isEqualTo(HIGHATOMIC);
      Invariants.check(a);
    }
  }

  /**
   * Merging two free pageblock-sized buddies of different (mergeable) types: both kernels merge;
   * 6.5 leaves the buddy's pageblock type as it was, mainline converts it to the merging block's
   * type so free lists and pageblocks agree (v6.10 freelist hygiene).
   */
  @Test
  void mergingAcrossPageblockTypes_mainlineConvertsTheBuddysPageblock() {
    long[] unmovablePageblocks = new long[2];
    for (KernelModel k : new KernelModel[] {KernelModel.V6_5, KernelModel.MAINLINE}) {
      PageAllocator a = eagerGuest(k);
      // take order-9 blocks until two come from splitting one order-10 block (the pageblock-sized
      // blocks the boot left free, the image's init sections among them, come first)
      long first;
      long second = a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, Sizes.PAGEBLOCK_ORDER);
      int tries = 0;
      do {
        first = second;
        second = a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, Sizes.PAGEBLOCK_ORDER);
      } while ((first ^ second) != Sizes.PAGEBLOCK_NR_PAGES && ++tries < 64);
      assertThat(first ^ second).as("buddies of one order-10 block").isEqualTo(512);
      a.pageblocks.set(second, UNMOVABLE);
      long before = a.pageblocks.counts(DMA32)[UNMOVABLE];
      a.freePages(0, second);
      a.freePages(0, first);
      FreeAreas free = a.buddy.free;
      long head = Math.min(first, second);
      assertThat(free.order(free.find(head))).isEqualTo(Sizes.MAX_ORDER);
      unmovablePageblocks[k == KernelModel.V6_5 ? 0 : 1] =
          a.pageblocks.counts(DMA32)[UNMOVABLE] - before;
      Invariants.check(a);
    }
    assertThat(unmovablePageblocks[0]).as("6.5 keeps the UNMOVABLE pageblock").isZero();
    assertThat(unmovablePageblocks[1]).as("mainline converts it").isEqualTo(-1);
  }

  /**
   * When everything but a highatomic reserve is gone, mainline lets non-blocking order-0
   * allocations into the reserve; 6.5 lets only ALLOC_OOM in, so GFP_ATOMIC fails ("let GFP_ATOMIC
   * order-0 allocs access highatomic reserves").
   */
  @Test
  void atomicOrder0AllocationsOnlyReachTheHighatomicReserve_inMainline() {
    long[] highatomicLeft = new long[2];
    for (KernelModel k : new KernelModel[] {KernelModel.V6_5, KernelModel.MAINLINE}) {
      PageAllocator a = eagerGuest(k);
      Zone z = a.zones[DMA32];
      long reserve = a.buddy.free.pfn(a.buddy.free.first(DMA32, Sizes.MAX_ORDER, MOVABLE));
      HighatomicReserve.PAGEBLOCK.reserve(a.buddy, z, reserve, 0);
      assertThat(z.nrFreeHighatomic).isEqualTo(Sizes.MAX_ORDER_NR_PAGES);
      for (int i = 0; i < 200_000; i++) {
        a.allocPages(0, Gfp.GFP_ATOMIC, 0);
      }
      highatomicLeft[k == KernelModel.V6_5 ? 0 : 1] = z.nrFreeHighatomic;
      Invariants.check(a);
    }
    assertThat(highatomicLeft[0]).isEqualTo(Sizes.MAX_ORDER_NR_PAGES);
    assertThat(highatomicLeft[1]).isLessThan(Sizes.MAX_ORDER_NR_PAGES);
  }

  /**
   * A high-order atomic allocation of pageblock order or more reserves every pageblock it covers in
   * mainline (v6.12), only the first in 6.5.
   */
  @Test
  void highatomicReserveOfALargeBlock_coversOnePageblockIn65_andTheWholeBlockInMainline() {
    for (KernelModel k : new KernelModel[] {KernelModel.V6_5, KernelModel.MAINLINE}) {
      PageAllocator a = eagerGibGuest(k);
      Zone z = a.zones[DMA32];
      long pfn = maxOrderBlock(a);
      k.rules.highatomicReserve().reserve(a.buddy, z, pfn, Sizes.MAX_ORDER);
      long[] counts = a.pageblocks.counts(DMA32);
      assertThat(counts[HIGHATOMIC]).isEqualTo(k == KernelModel.V6_5 ? 1 : 2);
      assertThat(z.nrReservedHighatomic)
          .isEqualTo(k == KernelModel.V6_5 ? Sizes.PAGEBLOCK_NR_PAGES : Sizes.MAX_ORDER_NR_PAGES);
      Invariants.check(a);
    }
  }

  /**
   * pcp->high: 6.5's pageset_update() sets it with batch (mm/page_alloc.c at v6.5); since
   * 51a755c56dc0 ("mm: tune PCP high automatically", v6.7) pageset_update() sets batch, high_min
   * and high_max only (mm/page_alloc.c at v6.12), so pcp->high keeps per_cpu_pages_init()'s 0 until
   * the CPU first refills or frees in the zone (nr_pcp_alloc(), nr_pcp_high()) and clamps it into
   * [high_min, high_max] — the recorded 6.12 guests' zoneinfo shows "high: 0" for DMA.
   */
  @Test
  void pcpHighOfAnUnusedZone_isSetIn65_andZeroInMainlineUntilUsed() {
    int dma = ZoneType.DMA.ordinal();
    for (KernelModel k : new KernelModel[] {KernelModel.V6_5, KernelModel.MAINLINE}) {
      PageAllocator a = eagerGibGuest(k);
      Pageset p = a.pcp.pageset(1, a.zones[dma]);
      assertThat(p.batch).isPositive();
      if (k == KernelModel.V6_5) {
        assertThat(p.high).isPositive();
      } else {
        assertThat(p.high).isZero();
        assertThat(p.highMin).isPositive();
        assertThat(a.allocPages(1, Gfp.GFP_DMA, 0)).isNotNegative();
        assertThat(p.high).isBetween(p.highMin, p.highMax);
      }
      Invariants.check(a);
    }
  }
}
