package io.cvmsim.core.boot;

import static io.cvmsim.core.memory.Sizes.GIB;
import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.HostMemory;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.firmware.OvmfLayout;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.mm.PageAllocator;
import io.cvmsim.core.vm.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The boot, stage by stage: what each stage accepts, reserves and hands over. */
class BootSequenceTest {

  private final HostMemory host = new HostMemory();

  private BootSequence boot(EfiMemoryMap map, KernelModel kernel, boolean eager, int vcpus) {
    return new BootSequence(
        map,
        Platform.TDX.create(AcceptCosts.DEFAULTS),
        host,
        host,
        BootCosts.DEFAULTS,
        kernel,
        eager,
        vcpus,
        false);
  }

  private static long bytes(EfiMemoryMap map, boolean alsoUnaccepted) {
    long sum = 0;
    for (EfiMemoryDescriptor d : map.descriptors()) {
      if (d.type().isAcceptedByFirmware()
          || (alsoUnaccepted && d.type() == EfiMemoryType.UNACCEPTED)) {
        sum += d.end() - d.physStart();
      }
    }
    return sum;
  }

  @Test
  void firmware_acceptsWhatItUsed_andLeavesUnacceptedMemoryAlone() {
    EfiMemoryMap map = OvmfLayout.generate(4 * GIB, 512 * MIB, true);
    boot(map, KernelModel.V6_5, false, 4).firmware();
    assertThat(host.acceptedBytes(AcceptTrigger.FIRMWARE)).isEqualTo(bytes(map, false));
    assertThat(host.backedBytes()).isLessThan(map.usableRamBytes());
  }

  @Test
  void firmware_forAKernelWithoutUnacceptedMemory_acceptsEverything_andTheStubBuildsNoTable() {
    EfiMemoryMap map = OvmfLayout.generate(4 * GIB, 512 * MIB, true);
    BootSequence b = boot(map, KernelModel.V6_1, false, 4);
    b.firmware();
    assertThat(host.acceptedBytes(AcceptTrigger.FIRMWARE)).isEqualTo(bytes(map, true));
    UnacceptedMemory u = b.efiStub();
    assertThat(u.hasTable()).isFalse();
    assertThat(host.acceptedBytes(AcceptTrigger.STUB)).isZero();
  }

  @Test
  void efiStub_buildsTheTableOverTheUnacceptedMemory() {
    EfiMemoryMap map = OvmfLayout.generate(4 * GIB, 512 * MIB, true);
    BootSequence b = boot(map, KernelModel.V6_5, false, 4);
    b.firmware();
    UnacceptedMemory u = b.efiStub();
    assertThat(u.hasTable()).isTrue();
    assertThat(u.table().unitSize()).isEqualTo(2 * MIB);
    // what the bitmap cannot record (unaligned heads and tails), the stub accepted at once
    assertThat(u.unacceptedBytes() + host.acceptedBytes(AcceptTrigger.STUB))
        .isEqualTo(map.bytesOf(EfiMemoryType.UNACCEPTED));
    assertThat(u.unacceptedBytes()).isGreaterThan(3 * GIB);
    assertThat(b.phases()).extracting(BootPhase::name).containsExactly("firmware", "efi-stub");
  }

  @Test
  void kernel_runsItsStagesInOrder_acceptsTheImage_reserves_andParksTheRest() {
    // the firmware accepted only 16 MiB, so the kernel image at 16 MiB lands in unaccepted memory
    EfiMemoryMap map = OvmfLayout.generate(8 * GIB, 16 * MIB, true);
    BootSequence b = boot(map, KernelModel.V6_5, false, 4);
    b.firmware();
    b.efiStub();
    PageAllocator a = b.kernel();
    List<BootPhase> phases = b.phases();
    assertThat(phases)
        .extracting(BootPhase::name)
        .containsExactly(
            "firmware",
            "efi-stub",
            "decompressor",
            "early-kernel",
            "memblock-free-all",
            "early-allocations",
            "deferred-init",
            "initcalls",
            "userspace");
    assertThat(b.kernelBase()).isEqualTo(SetupArch.PHYSICAL_START);
    assertThat(phases.get(2).acceptedBytes()).isPositive();
    assertThat(
            host.isAccepted(b.kernelBase(), b.kernelBase() + BootCosts.DEFAULTS.kernelImageBytes()))
        .isTrue();
    // memblock: the first 1 MiB, the image and the table are reserved
    List<long[]> reserved = b.memblock().reservedRanges();
    // the first 1 MiB is reserved where it is RAM: page 0 is not RAM to memblock, 640K-1M a hole
    assertThat(reserved.get(0)[0]).isEqualTo(4096);
    assertThat(reserved.get(0)[1]).isEqualTo(OvmfLayout.LOW_MEMORY_END);
    assertThat(reserved).anySatisfy(r -> assertThat(r[0]).isLessThanOrEqualTo(b.kernelBase()));
    assertThat(b.tablePhys()).isPositive();
    // lazy: the hand-over parked memory instead of accepting it; deferred init took its share
    assertThat(a.nrUnaccepted()).isPositive();
    assertThat(phases.get(6).simulatedNanos()).isPositive();
    // the early allocations are live and the watermarks exist
    assertThat(a.liveAllocations()).isEqualTo(BootCosts.DEFAULTS.earlyAllocations(4));
    assertThat(a.watermarkPages(WatermarkLevel.MIN)).isPositive();
  }

  @Test
  void eagerHandOver_acceptsEverything_inTheHandOverAndDeferredInit() {
    EfiMemoryMap map = OvmfLayout.generate(8 * GIB, 512 * MIB, true);
    BootSequence b = boot(map, KernelModel.MAINLINE, true, 4);
    b.firmware();
    b.efiStub();
    PageAllocator a = b.kernel();
    assertThat(a.nrUnaccepted()).isZero();
    assertThat(host.acceptedBytes(AcceptTrigger.EAGER)).isPositive();
    assertThat(b.phases().get(6).acceptedBytes()).isPositive();
    assertThat(host.backedBytes()).isEqualTo(map.usableRamBytes());
  }

  @Test
  void aMapWithoutRam_isRefusedWith422() {
    EfiMemoryMap map =
        EfiMemoryMap.of(List.of(new EfiMemoryDescriptor(EfiMemoryType.RESERVED, 0, 1024)));
    BootSequence b = boot(map, KernelModel.V6_5, false, 1);
    b.firmware();
    b.efiStub();
    assertThatThrownBy(b::kernel)
        .isInstanceOfSatisfying(
            SimulatorException.class,
            e -> assertThat(e.kind()).isEqualTo(SimulatorException.Kind.UNPROCESSABLE));
  }
}
