package io.cvmsim.core.mm;

import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;

/** Guests for allocator tests. */
final class Guests {
  private Guests() {}

  static GuestVm guest(KernelModel k, AcceptPolicy p, long bytes) {
    return GuestVm.create(
        "t",
        new VmSpec(null, Platform.TDX, k, p, bytes, null, null, 4, BootStage.KERNEL, null, false),
        VmSettings.DEFAULTS);
  }
}
