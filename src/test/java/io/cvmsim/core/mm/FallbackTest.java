package io.cvmsim.core.mm;

import static io.cvmsim.core.memory.Sizes.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.stats.ExtfragEventView;
import io.cvmsim.core.stats.MemorySnapshot;
import org.junit.jupiter.api.Test;

/** Fallback between migrate types and the mm_page_alloc_extfrag event (§8). */
class FallbackTest {

  @Test
  void fallbackTable_isTheKernels() {
    assertThat(Buddy.FALLBACKS[0]).containsExactly(2, 1);
    assertThat(Buddy.FALLBACKS[1]).containsExactly(2, 0);
    assertThat(Buddy.FALLBACKS[2]).containsExactly(0, 1);
  }

  @Test
  void claimHeuristic() {
    assertThat(Buddy.canClaim(9, 1)).isTrue();
    assertThat(Buddy.canClaim(4, 1)).isTrue();
    assertThat(Buddy.canClaim(3, 1)).isFalse();
    assertThat(Buddy.canClaim(0, 0)).isTrue();
    assertThat(Buddy.canClaim(0, 2)).isTrue();
  }

  @Test
  void unmovableRequest_onAllMovableMemory_claimsAWholeMaxOrderBlock_inEveryModel() {
    for (KernelModel k : KernelModel.values()) {
      Guests.Booted g = Guests.boot(k, true, 2 * GIB);
      MemorySnapshot before = g.memory();
      // boot made unmovable allocations already; make sure another claim happens by asking for
      // a reclaimable block, a type boot never used
      long pfn = g.allocator().allocPages(0, Gfp.GFP_KERNEL_RECLAIMABLE, 0);
      assertThat(pfn).isNotNegative();
      MemorySnapshot after = g.memory();
      assertThat(after.extfragTotal()).isEqualTo(before.extfragTotal() + 1);
      ExtfragEventView e = after.recentExtfrag().get(after.recentExtfrag().size() - 1);
      assertThat(e.allocOrder()).isZero();
      assertThat(e.allocMigratetype()).isEqualTo(MigrateType.RECLAIMABLE.ordinal());
      assertThat(e.fallbackMigratetype()).isEqualTo(MigrateType.MOVABLE.ordinal());
      // ALLOC_NOFRAGMENT: only pageblock-sized blocks may be taken on the first pass
      assertThat(e.fallbackOrder()).isGreaterThanOrEqualTo(9);
      assertThat(e.fragmenting()).isFalse();
      assertThat(e.changeOwnership()).isTrue();
      assertThat(after.extfrag()[2][1][1]).isEqualTo(before.extfrag()[2][1][1] + 1);
    }
  }

  @Test
  void movableRequestsIntoUnmovableOnlyMemory_steal_withoutClaiming_inMainline() {
    Guests.Booted g = Guests.boot(KernelModel.MAINLINE, true, 2 * GIB);
    PageAllocator a = g.allocator();
    // take all memory as unmovable order-0 pages, free every other one: the holes sit in
    // unmovable pageblocks, mostly as order-0 blocks
    long[] held = new long[600_000];
    int n = 0;
    while (n < held.length) {
      long pfn = a.allocPages(0, Gfp.GFP_KERNEL, 0);
      if (pfn < 0) {
        break;
      }
      held[n++] = pfn;
    }
    for (int i = 0; i < n; i += 2) {
      a.freePages(0, held[i]);
    }
    MemorySnapshot before = g.memory();
    for (int i = 0; i < 50_000; i++) {
      a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
    }
    MemorySnapshot after = g.memory();
    long stolen = after.extfrag()[1][0][0] - before.extfrag()[1][0][0];
    assertThat(stolen).as("movable requests stealing from unmovable lists").isPositive();
    assertThat(after.extfragFragmenting()).isGreaterThan(before.extfragFragmenting());
    ExtfragEventView e = after.recentExtfrag().get(after.recentExtfrag().size() - 1);
    assertThat(e.allocMigratetype()).isEqualTo(MigrateType.MOVABLE.ordinal());
    assertThat(e.fallbackMigratetype()).isEqualTo(MigrateType.UNMOVABLE.ordinal());
    assertThat(e.fragmenting()).isTrue();
    assertThat(e.changeOwnership()).isFalse();
  }
}
