package io.cvmsim.api;

import io.cvmsim.core.TestGuests;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSpec;

/** Small guests for API tests, created straight in the registry. */
public final class TestVms {

  private TestVms() {}

  /** Returns a booted lazy TDX guest of {@code gib} GiB named {@code name}. */
  public static GuestVm tdx(VmRegistry registry, String name, int gib) {
    return create(registry, name, Platform.TDX, gib, BootStage.KERNEL);
  }

  /** Returns a guest of the given platform and boot stage. */
  public static GuestVm create(
      VmRegistry registry, String name, Platform platform, int gib, BootStage bootTo) {
    return TestGuests.track(
        registry.create(
            new VmSpec(
                name,
                platform,
                "6.5",
                AcceptPolicy.LAZY,
                gib * Sizes.GIB,
                null,
                null,
                2,
                bootTo,
                null,
                false)));
  }

  /** Deletes every guest. */
  public static void deleteAll(VmRegistry registry) {
    for (GuestVm vm : registry.list()) {
      registry.delete(vm.id());
    }
  }
}
