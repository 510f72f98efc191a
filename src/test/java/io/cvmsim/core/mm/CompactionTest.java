package io.cvmsim.core.mm;

import static io.cvmsim.core.memory.Sizes.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import org.junit.jupiter.api.Test;

/** Compaction on small zones: the scanners, direct compaction, deferral, suitability. */
class CompactionTest {

  /** Fills the guest with movable pages and frees every other one: no free pageblock is left. */
  static long[] fragmentMovable(PageAllocator a) {
    long[] held = new long[1 << 20];
    int n = 0;
    while (n < held.length) {
      long h = a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
      if (h < 0) {
        break;
      }
      held[n++] = h;
    }
    long[] kept = new long[(n + 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if ((i & 1) == 0) {
        a.freePages(0, held[i]);
      } else {
        kept[k++] = held[i];
      }
    }
    a.pcp.drainAll();
    // whole pageblocks left above the watermarks go to THPs that may not compact
    while (a.allocPages(0, Gfp.GFP_TRANSHUGE_LIGHT, Sizes.PAGEBLOCK_ORDER) >= 0) {
      // keep taking
    }
    return java.util.Arrays.copyOf(kept, k);
  }

  static long freeBlocksAtLeast(PageAllocator a, int order) {
    long n = 0;
    // DMA keeps its free pageblocks: lowmem_reserve protects it from these requests
    for (int z = 1; z < io.cvmsim.core.memory.ZoneType.POPULATABLE; z++) {
      for (int o = order; o <= Sizes.MAX_ORDER; o++) {
        n += a.buddy.free.nrFree(z, o);
      }
    }
    return n;
  }

  @Test
  void thpRequest_onFragmentedMovableMemory_isSatisfiedByDirectCompaction_inEveryModel() {
    for (KernelModel k : KernelModel.values()) {
      Guests.Booted g = Guests.boot(k, true, 1 * GIB);
      PageAllocator a = g.allocator();
      long[] kept = fragmentMovable(a);
      assertThat(freeBlocksAtLeast(a, Sizes.PAGEBLOCK_ORDER)).as(k + " no free pageblock").isZero();
      long before = a.vmstat.pgmigrateSuccess;
      long thp = a.allocPages(0, Gfp.GFP_TRANSHUGE, Sizes.PAGEBLOCK_ORDER);
      assertThat(thp).as(k + ": the THP after compaction").isNotNegative();
      assertThat(a.vmstat.compactStall).as(k + " stalls").isPositive();
      assertThat(a.vmstat.compactSuccess).as(k + " successes").isPositive();
      assertThat(a.vmstat.pgmigrateSuccess - before).as(k + " migrated").isPositive();
      assertThat(a.live.moved()).as(k + " allocations that moved").isPositive();
      Invariants.check(a);
      // every kept page is still reachable by its handle, wherever it went
      for (long h : kept) {
        assertThat(a.freePages(1, h)).isZero();
      }
      a.freePages(0, thp);
      assertThat(a.live.size()).isEqualTo(0 + a.liveAllocations());
      Invariants.check(a);
    }
  }
}
