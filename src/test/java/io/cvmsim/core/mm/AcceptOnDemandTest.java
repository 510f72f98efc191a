package io.cvmsim.core.mm;

import static io.cvmsim.core.memory.Sizes.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.MemorySnapshot;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Accept-on-demand as each kernel model does it (kernel-behaviour.md §5.3–5.6). */
class AcceptOnDemandTest {

  private static final List<KernelModel> LAZY_KERNELS =
      List.of(KernelModel.V6_5, KernelModel.MAINLINE);

  @Test
  void lazyGuest_unacceptedShrinksIn4MiBSteps_andNeverBelowZero() {
    for (KernelModel k : LAZY_KERNELS) {
      Guests.Booted g = Guests.boot(k, false, 4 * GIB);
      PageAllocator a = g.allocator();
      long prev = a.nrUnaccepted();
      assertThat(prev).isPositive();
      long hostBefore = g.host().backedBytes();
      boolean shrank = false;
      for (int i = 0; i < 1_200_000; i++) {
        if (a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0) < 0) {
          break;
        }
        if ((i & 4095) == 0) {
          long now = a.nrUnaccepted();
          assertThat(now).isGreaterThanOrEqualTo(0);
          assertThat((prev - now) % Sizes.MAX_ORDER_NR_PAGES).isZero();
          shrank |= now < prev;
          prev = now;
        }
      }
      assertThat(shrank).isTrue();
      MemorySnapshot end = g.memory();
      assertThat(end.unacceptedPages()).isZero();
      assertThat(end.failures()).isPositive();
      assertThat(g.host().backedBytes()).isGreaterThan(hostBefore);
    }
  }

  @Test
  void eagerGuest_hasNoUnacceptedMemory() {
    for (KernelModel k : KernelModel.values()) {
      Guests.Booted g = Guests.boot(k, true, 2 * GIB);
      assertThat(g.allocator().nrUnaccepted()).isZero();
      assertThat(g.unaccepted().unacceptedBytes()).isZero();
    }
  }

  @Test
  void v61_hasNoUnacceptedTable_andTheFirmwareBacksAllMemory() {
    Guests.Booted g = Guests.boot(KernelModel.V6_1, false, 4 * GIB);
    assertThat(g.unaccepted().hasTable()).isFalse();
    assertThat(g.allocator().nrUnaccepted()).isZero();
    assertThat(g.host().backedBytes()).isGreaterThanOrEqualTo(4 * GIB - 512 * Sizes.MIB);
    for (int i = 0; i < 100_000; i++) {
      g.allocator().allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
    }
    assertThat(g.allocator().vmstat.acceptedChunks).isZero();
  }

  /**
   * Allocates until an allocation accepts a chunk; returns the accepted free pages of Normal just
   * before that allocation.
   */
  private static long allocateUntilAccepting(PageAllocator a) {
    Zone normal = a.zones[ZoneType.NORMAL.ordinal()];
    long accepted = a.vmstat.acceptedChunks;
    long usableBefore;
    do {
      usableBefore = normal.nrFreePages - normal.nrUnaccepted;
      assertThat(a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0)).isNotNegative();
    } while (a.vmstat.acceptedChunks == accepted);
    return usableBefore;
  }

  @Test
  void v65_acceptsOnlyAfterAFailedWatermarkCheck_atLeastOneChunk_upToHigh() {
    PageAllocator a = Guests.boot(KernelModel.V6_5, false, 8 * GIB).allocator();
    Zone normal = a.zones[ZoneType.NORMAL.ordinal()];
    for (int round = 0; round < 50; round++) {
      long before = a.vmstat.acceptedChunks;
      long usableBefore = normal.nrFreePages - normal.nrUnaccepted;
      allocateUntilAccepting(a);
      long chunks = a.vmstat.acceptedChunks - before;
      // nothing was accepted while the low watermark held (6.5 counts parked memory as
      // unusable), so the zone had fallen to it ...
      long usableBeforeAccept =
          usableBefore
              - 1
              - (Sizes.MAX_ORDER_NR_PAGES * chunks
                  - (normal.nrFreePages - normal.nrUnaccepted - usableBefore + 1));
      assertThat(chunks).isPositive();
      // ... and the acceptance brought it back to the high watermark, not further
      long usable = normal.nrFreePages - normal.nrUnaccepted;
      long high = normal.wmark(WatermarkLevel.HIGH.ordinal());
      assertThat(usable + 1).isGreaterThanOrEqualTo(high);
      assertThat(usable).isLessThan(high + Sizes.MAX_ORDER_NR_PAGES);
      assertThat(usableBeforeAccept)
          .isLessThanOrEqualTo(normal.wmark(WatermarkLevel.LOW.ordinal()));
    }
  }

  @Test
  void mainline_acceptsOnEveryVisit_upToPromo() {
    PageAllocator a = Guests.boot(KernelModel.MAINLINE, false, 16 * GIB).allocator();
    Zone normal = a.zones[ZoneType.NORMAL.ordinal()];
    allocateUntilAccepting(a);
    long promo = normal.wmark(WatermarkLevel.PROMO.ordinal());
    long high = normal.wmark(WatermarkLevel.HIGH.ordinal());
    // order-4 blocks bypass the per-cpu lists: each allocation takes exactly 16 pages
    for (int i = 0; i < 20_000 && normal.nrUnaccepted > 0; i++) {
      a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 4);
      long accepted = normal.nrFreePages - normal.nrUnaccepted;
      // every visit tops the accepted free pages up to promo, above high
      assertThat(accepted + 16).isGreaterThanOrEqualTo(promo);
      assertThat(accepted).isLessThan(promo + Sizes.MAX_ORDER_NR_PAGES);
    }
    assertThat(promo).isGreaterThan(high);
  }

  @Test
  void theTwoLazyModels_acceptDifferentAmounts_forTheSameRequests() {
    Map<KernelModel, Long> accepted = new EnumMap<>(KernelModel.class);
    for (KernelModel k : LAZY_KERNELS) {
      PageAllocator a = Guests.boot(k, false, 8 * GIB).allocator();
      long before = a.vmstat.acceptedChunks;
      for (int i = 0; i < 50_000; i++) {
        a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
      }
      accepted.put(k, a.vmstat.acceptedChunks - before);
    }
    assertThat(accepted.get(KernelModel.V6_5)).isNotEqualTo(accepted.get(KernelModel.MAINLINE));
  }
}
