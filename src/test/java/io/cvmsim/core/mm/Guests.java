package io.cvmsim.core.mm;

import io.cvmsim.core.accept.AcceptListener;
import io.cvmsim.core.accept.AcceptLog;
import io.cvmsim.core.accept.HostMemory;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.boot.BootSequence;
import io.cvmsim.core.firmware.OvmfLayout;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.support.InvariantsExtension;

/**
 * Boots guests down to their allocator, for tests that look inside it: the same boot a VM runs
 * (firmware, stub, kernel), without the VM around it.
 */
final class Guests {
  private Guests() {}

  /** A booted guest's allocator, its view of the unaccepted table, and the host. */
  record Booted(PageAllocator allocator, UnacceptedMemory unaccepted, HostMemory host) {

    /** Returns a snapshot of the allocator. */
    MemorySnapshot memory() {
      return allocator.snapshot(0, new long[3], 4);
    }
  }

  /** Boots a TDX guest of {@code bytes} with the default firmware-accepted memory and 4 vCPUs. */
  static Booted boot(KernelModel k, boolean eager, long bytes) {
    return boot(k, eager, bytes, Math.min(VmSpec.DEFAULT_FIRMWARE_ACCEPTED, bytes), 4);
  }

  /** Boots a TDX guest; its allocator's invariants are checked when the test ends. */
  static Booted boot(KernelModel k, boolean eager, long bytes, long firmwareAccepted, int vcpus) {
    HostMemory host = new HostMemory();
    AcceptLog log = new AcceptLog(1000);
    AcceptListener listener =
        (phase, trigger, start, end, ops) -> {
          host.accepted(phase, trigger, start, end, ops);
          log.accepted(phase, trigger, start, end, ops);
        };
    BootSequence boot =
        new BootSequence(
            OvmfLayout.generate(bytes, firmwareAccepted, true),
            Platform.TDX.create(AcceptCosts.DEFAULTS),
            listener,
            host,
            BootCosts.DEFAULTS,
            k,
            eager,
            vcpus,
            false);
    boot.firmware();
    UnacceptedMemory unaccepted = boot.efiStub();
    PageAllocator a = boot.kernel();
    InvariantsExtension.track(a, Invariants::check);
    return new Booted(a, unaccepted, host);
  }
}
