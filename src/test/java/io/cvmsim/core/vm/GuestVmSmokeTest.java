package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.TestGuests;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A guest boots through every layer, for every kernel model and accept policy. */
class GuestVmSmokeTest {

  static VmSpec spec(Platform p, String k, AcceptPolicy policy, long mem) {
    return new VmSpec(null, p, k, policy, mem, null, null, 4, BootStage.KERNEL, null, false);
  }

  @Test
  void lazyTdxGuest_boots_andAllocationsDrainUnacceptedMemory() {
    GuestVm vm = TestGuests.create(spec(Platform.TDX, "6.5", AcceptPolicy.LAZY, 4 * Sizes.GIB));
    vm.checkInvariants();
    MemorySnapshot s = vm.memory();
    assertThat(s.unacceptedPages()).isPositive();
    assertThat(s.totalPages() << Sizes.PAGE_SHIFT).isLessThan(4 * Sizes.GIB);
    assertThat(vm.bootTimeline().userspaceAtNanos()).isPositive();
    vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 200_000);
    vm.checkInvariants();
    assertThat(vm.memory().unacceptedPages()).isLessThan(s.unacceptedPages());
  }

  @Test
  void everyLazyModelAndPolicy_boots_eagerAcceptsEverything_lazyBootsFaster() {
    long ram = 8 * Sizes.GIB - (Sizes.MIB - 0xA0000); // the legacy hole is lost
    for (String k : List.of("6.5", "mainline")) {
      GuestVm lazy = TestGuests.create(spec(Platform.TDX, k, AcceptPolicy.LAZY, 8 * Sizes.GIB));
      GuestVm eager = TestGuests.create(spec(Platform.TDX, k, AcceptPolicy.EAGER, 8 * Sizes.GIB));
      lazy.checkInvariants();
      eager.checkInvariants();
      assertThat(eager.memory().unacceptedPages()).isZero();
      assertThat(eager.host().backedBytes()).isEqualTo(ram);
      assertThat(lazy.memory().unacceptedPages()).isPositive();
      assertThat(lazy.host().backedBytes()).isLessThan(ram);
      // the same memblock reservations either way
      assertThat(lazy.memory().totalPages()).isEqualTo(eager.memory().totalPages());
      assertThat(lazy.bootTimeline().totalNanos()).isLessThan(eager.bootTimeline().totalNanos());
    }
  }

  @Test
  void v61Guest_onTdx_bootsWithEverythingAcceptedByTheFirmware_andNoUnacceptedLine() {
    long ram = 8 * Sizes.GIB - (Sizes.MIB - 0xA0000);
    for (AcceptPolicy policy : AcceptPolicy.values()) {
      GuestVm vm = TestGuests.create(spec(Platform.TDX, "6.1", policy, 8 * Sizes.GIB));
      assertThat(vm.unacceptedTable().present()).isFalse();
      assertThat(vm.memory().unacceptedPages()).isZero();
      assertThat(vm.host().backedBytes()).isEqualTo(ram);
      assertThat(io.cvmsim.core.stats.ProcFormat.meminfo(vm.memory())).doesNotContain("Unaccepted");
    }
    GuestVm lazy65 = TestGuests.create(spec(Platform.TDX, "6.5", AcceptPolicy.LAZY, 8 * Sizes.GIB));
    GuestVm v61 = TestGuests.create(spec(Platform.TDX, "6.1", AcceptPolicy.LAZY, 8 * Sizes.GIB));
    assertThat(v61.bootTimeline().totalNanos()).isGreaterThan(lazy65.bootTimeline().totalNanos());
  }

  @Test
  void withCheckInvariants_everyCommandChecksTheGuest_andAHealthyGuestPasses() {
    GuestVm vm =
        TestGuests.create(
            spec(Platform.SNP, "mainline", AcceptPolicy.LAZY, 2 * Sizes.GIB),
            VmSettings.DEFAULTS.withCheckInvariants(true));
    var got = vm.allocate(Gfp.GFP_KERNEL, 2, 500);
    vm.free(got.pfns());
    vm.accept(Sizes.GIB, Sizes.GIB + 64 * Sizes.MIB);
    long live = vm.withMemory(m -> m.alloc(1, Gfp.GFP_HIGHUSER_MOVABLE, 9) >= 0 ? 1L : 0L);
    assertThat(live).isEqualTo(1);
  }
}
