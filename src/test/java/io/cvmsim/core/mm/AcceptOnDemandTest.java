package io.cvmsim.core.mm;

import static io.cvmsim.core.memory.Sizes.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.GuestVm;
import org.junit.jupiter.api.Test;

/** Accept-on-demand as each kernel model does it (kernel-behaviour.md §5.3–5.6). */
class AcceptOnDemandTest {

  @Test
  void lazyGuest_unacceptedShrinksIn4MiBSteps_andNeverBelowZero() {
    for (KernelModel k : KernelModel.values()) {
      GuestVm vm = Guests.guest(k, AcceptPolicy.LAZY, 4 * GIB);
      long prev = vm.memory().unacceptedPages();
      assertThat(prev).isPositive();
      long hostBefore = vm.host().backedBytes();
      boolean shrank = false;
      for (int i = 0; i < 1_200_000; i++) {
        long pfn = vm.allocateOne(Gfp.GFP_HIGHUSER_MOVABLE, 0);
        if (pfn < 0) {
          break;
        }
        if ((i & 4095) == 0) {
          long now = vm.memory().unacceptedPages();
          assertThat(now).isGreaterThanOrEqualTo(0);
          assertThat((prev - now) % Sizes.MAX_ORDER_NR_PAGES).isZero();
          shrank |= now < prev;
          prev = now;
        }
      }
      assertThat(shrank).isTrue();
      MemorySnapshot end = vm.memory();
      assertThat(end.unacceptedPages()).isZero();
      assertThat(end.failures()).isPositive();
      assertThat(vm.host().backedBytes()).isGreaterThan(hostBefore);
      vm.checkInvariants();
    }
  }

  @Test
  void eagerGuest_hasNoUnacceptedMemory() {
    for (KernelModel k : KernelModel.values()) {
      GuestVm vm = Guests.guest(k, AcceptPolicy.EAGER, 2 * GIB);
      assertThat(vm.memory().unacceptedPages()).isZero();
      assertThat(vm.unacceptedTable().unacceptedBytes()).isZero();
      vm.checkInvariants();
    }
  }

  /**
   * Allocates until an allocation accepts a chunk; returns the accepted free pages of Normal just
   * before that allocation.
   */
  private static long allocateUntilAccepting(PageAllocator a) {
    Zone normal = a.zone(ZoneType.NORMAL);
    long accepted = a.acceptedChunks;
    long usableBefore;
    do {
      usableBefore = normal.nrFreePages - normal.nrUnaccepted;
      assertThat(a.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0)).isNotNegative();
    } while (a.acceptedChunks == accepted);
    return usableBefore;
  }

  @Test
  void v65_acceptsOnlyAfterAFailedWatermarkCheck_atLeastOneChunk_upToHigh() {
    GuestVm vm = Guests.guest(KernelModel.V6_5, AcceptPolicy.LAZY, 8 * GIB);
    vm.withAllocator(
        a -> {
          Zone normal = a.zone(ZoneType.NORMAL);
          for (int round = 0; round < 50; round++) {
            long before = a.acceptedChunks;
            long usableBefore = normal.nrFreePages - normal.nrUnaccepted;
            allocateUntilAccepting(a);
            long chunks = a.acceptedChunks - before;
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
            long high = normal.wmark(AllocFlags.WMARK_HIGH);
            assertThat(usable + 1).isGreaterThanOrEqualTo(high);
            assertThat(usable).isLessThan(high + Sizes.MAX_ORDER_NR_PAGES);
            assertThat(usableBeforeAccept).isLessThanOrEqualTo(normal.wmark(AllocFlags.WMARK_LOW));
          }
          return null;
        });
    vm.checkInvariants();
  }

  @Test
  void mainline_acceptsOnEveryVisit_upToPromo() {
    GuestVm vm = Guests.guest(KernelModel.MAINLINE, AcceptPolicy.LAZY, 16 * GIB);
    vm.withAllocator(
        a -> {
          Zone normal = a.zone(ZoneType.NORMAL);
          allocateUntilAccepting(a);
          long promo = normal.wmark(WatermarkLevel.PROMO.ordinal());
          long high = normal.wmark(AllocFlags.WMARK_HIGH);
          for (int i = 0; i < 200_000 && normal.nrUnaccepted > 0; i++) {
            a.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0);
            long accepted = normal.nrFreePages - normal.nrUnaccepted;
            // every visit tops the accepted free pages up to promo, above high
            assertThat(accepted + 1).isGreaterThanOrEqualTo(promo);
            assertThat(accepted).isLessThan(promo + Sizes.MAX_ORDER_NR_PAGES);
          }
          assertThat(promo).isGreaterThan(high);
          return null;
        });
    vm.checkInvariants();
  }

  @Test
  void theTwoModels_acceptDifferentAmounts_forTheSameRequests() {
    long[] accepted = new long[2];
    for (KernelModel k : KernelModel.values()) {
      GuestVm vm = Guests.guest(k, AcceptPolicy.LAZY, 8 * GIB);
      long before = vm.memory().acceptedChunks();
      for (int i = 0; i < 50_000; i++) {
        vm.allocateOne(Gfp.GFP_HIGHUSER_MOVABLE, 0);
      }
      accepted[k.ordinal()] = vm.memory().acceptedChunks() - before;
    }
    assertThat(accepted[0]).isNotEqualTo(accepted[1]);
  }
}
