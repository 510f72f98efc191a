package io.cvmsim.core;

import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.support.InvariantsExtension;

/** Guests for core tests, each checked for its invariants when the test ends. */
public final class TestGuests {

  private TestGuests() {}

  /** Returns a booted TDX guest with 4 vCPUs and the generated layout. */
  public static GuestVm guest(String kernel, AcceptPolicy policy, long bytes) {
    return create(spec(kernel, policy, bytes));
  }

  /** Returns the spec of a booted TDX guest with 4 vCPUs and the generated layout. */
  public static VmSpec spec(String kernel, AcceptPolicy policy, long bytes) {
    return new VmSpec(
        null, Platform.TDX, kernel, policy, bytes, null, null, 4, BootStage.KERNEL, null, false);
  }

  /** Creates a guest with the default settings. */
  public static GuestVm create(VmSpec spec) {
    return create(spec, VmSettings.DEFAULTS);
  }

  /** Creates a guest. */
  public static GuestVm create(VmSpec spec, VmSettings settings) {
    return track(GuestVm.create("t", spec, settings));
  }

  /** Returns {@code vm}, checked for its invariants when the test ends (unless deleted). */
  public static GuestVm track(GuestVm vm) {
    return InvariantsExtension.track(
        vm,
        v -> {
          if (!v.isDeleted()) {
            v.checkInvariants();
          }
        });
  }
}
