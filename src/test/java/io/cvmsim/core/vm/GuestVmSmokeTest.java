package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.Gfp;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import org.junit.jupiter.api.Test;

class GuestVmSmokeTest {

  static VmSpec spec(Platform p, KernelModel k, AcceptPolicy policy, long mem) {
    return new VmSpec(null, p, k, policy, mem, null, null, 4, BootStage.KERNEL, null, false);
  }

  @Test
  void lazyTdxGuest_boots_andPrintsViews() {
    GuestVm vm =
        GuestVm.create(
            "t",
            spec(Platform.TDX, KernelModel.V6_5, AcceptPolicy.LAZY, 4 * Sizes.GIB),
            VmSettings.DEFAULTS);
    vm.checkInvariants();
    MemorySnapshot s = vm.memory();
    System.out.println(ProcFormat.meminfo(s));
    System.out.println(ProcFormat.buddyinfo(s));
    System.out.println(ProcFormat.zoneinfo(s).substring(0, 3000));
    System.out.println(vm.bootTimeline());
    assertThat(s.unacceptedPages()).isPositive();
    for (int i = 0; i < 200_000; i++) {
      vm.allocateOne(Gfp.GFP_HIGHUSER_MOVABLE, 0);
    }
    vm.checkInvariants();
    MemorySnapshot t = vm.memory();
    System.out.println(
        ProcFormat.meminfo(t)
            .lines()
            .filter(l -> l.startsWith("Mem") || l.startsWith("Unacc"))
            .toList());
    System.out.println(ProcFormat.extfragIndex(t));
    System.out.println(ProcFormat.unusableIndex(t));
    System.out.println(ProcFormat.pagetypeinfo(t));
    assertThat(t.unacceptedPages()).isLessThan(s.unacceptedPages());
  }

  @Test
  void mainlineEager() {
    for (KernelModel k : KernelModel.values()) {
      for (AcceptPolicy p : AcceptPolicy.values()) {
        GuestVm vm =
            GuestVm.create("t", spec(Platform.TDX, k, p, 8 * Sizes.GIB), VmSettings.DEFAULTS);
        vm.checkInvariants();
        MemorySnapshot s = vm.memory();
        System.out.println(
            k
                + " "
                + p
                + " unaccepted="
                + s.unacceptedPages()
                + " free="
                + s.freePages()
                + " total="
                + s.totalPages()
                + " host="
                + vm.host().backedBytes()
                + " boot="
                + vm.bootTimeline().totalNanos() / 1e9);
      }
    }
  }
}
