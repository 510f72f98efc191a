package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.Gfp;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.stats.MemorySnapshot;
import org.junit.jupiter.api.Test;

/** A guest boots through every layer, for every kernel model and accept policy. */
class GuestVmSmokeTest {

  static VmSpec spec(Platform p, KernelModel k, AcceptPolicy policy, long mem) {
    return new VmSpec(null, p, k, policy, mem, null, null, 4, BootStage.KERNEL, null, false);
  }

  @Test
  void lazyTdxGuest_boots_andAllocationsDrainUnacceptedMemory() {
    GuestVm vm =
        GuestVm.create(
            "t",
            spec(Platform.TDX, KernelModel.V6_5, AcceptPolicy.LAZY, 4 * Sizes.GIB),
            VmSettings.DEFAULTS);
    vm.checkInvariants();
    MemorySnapshot s = vm.memory();
    assertThat(s.unacceptedPages()).isPositive();
    assertThat(s.totalPages() << Sizes.PAGE_SHIFT).isLessThan(4 * Sizes.GIB);
    assertThat(vm.bootTimeline().userspaceAtNanos()).isPositive();
    for (int i = 0; i < 200_000; i++) {
      vm.allocateOne(Gfp.GFP_HIGHUSER_MOVABLE, 0);
    }
    vm.checkInvariants();
    assertThat(vm.memory().unacceptedPages()).isLessThan(s.unacceptedPages());
  }

  @Test
  void everyModelAndPolicy_boots_eagerAcceptsEverything_lazyBootsFaster() {
    long ram = 8 * Sizes.GIB - (Sizes.MIB - 0xA0000); // the legacy hole is lost
    for (KernelModel k : KernelModel.values()) {
      GuestVm lazy =
          GuestVm.create(
              "l", spec(Platform.TDX, k, AcceptPolicy.LAZY, 8 * Sizes.GIB), VmSettings.DEFAULTS);
      GuestVm eager =
          GuestVm.create(
              "e", spec(Platform.TDX, k, AcceptPolicy.EAGER, 8 * Sizes.GIB), VmSettings.DEFAULTS);
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
}
