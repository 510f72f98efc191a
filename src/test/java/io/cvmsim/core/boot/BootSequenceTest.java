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
import io.cvmsim.core.memory.Sizes;
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
    return boot(map, kernel, eager, vcpus, BootCosts.DEFAULTS);
  }

  private BootSequence boot(
      EfiMemoryMap map, KernelModel kernel, boolean eager, int vcpus, BootCosts costs) {
    return boot(map, kernel, eager, vcpus, costs, host);
  }

  private static BootSequence boot(
      EfiMemoryMap map,
      KernelModel kernel,
      boolean eager,
      int vcpus,
      BootCosts costs,
      HostMemory host) {
    return new BootSequence(
        map,
        Platform.TDX.create(AcceptCosts.DEFAULTS),
        host,
        host,
        costs,
        kernel,
        eager,
        vcpus,
        false);
  }

  private static BootPhase phase(BootSequence b, String name) {
    return b.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
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

  /**
   * defer_init() (mm/mm_init.c at v6.5 and v6.12; mm/page_alloc.c at v6.1): only the node's last
   * zone defers, counting its present pages (nr_initialised, across memblock ranges, since
   * memmap_init_range() passes the zone's end) and deferring from the first section-aligned pfn
   * once more than PAGES_PER_SECTION of them are initialised.
   */
  @Test
  void firstDeferredPfn_isTheFirstSectionPast128MibOfTheNodesLastZone() {
    long section = SetupArch.PAGES_PER_SECTION;
    long fourGib = (4 * GIB) >>> 12;
    // Normal starts section-aligned at 4 GiB: 128 MiB later, not a section later still
    assertThat(
            BootSequence.firstDeferredPfn(
                List.of(new long[] {4096, 640 * 1024}, new long[] {MIB, 2 * GIB}, range(4, 10))))
        .isEqualTo(fourGib + section);
    // under 4 GiB DMA32 is the node's last zone and defers (from pfn 4096, ZONE_DMA's end)
    assertThat(
            BootSequence.firstDeferredPfn(
                List.of(new long[] {4096, 640 * 1024}, new long[] {MIB, 2 * GIB})))
        .isEqualTo(2 * section);
    // the count runs on over a hole: 64 MiB, a 32 MiB hole, then 64 MiB more reach the section
    long holeEnd = 4 * GIB + 96 * MIB;
    assertThat(
            BootSequence.firstDeferredPfn(
                List.of(
                    new long[] {MIB, 2 * GIB},
                    new long[] {4 * GIB, 4 * GIB + 64 * MIB},
                    new long[] {holeEnd, 8 * GIB})))
        .isEqualTo(Sizes.alignUp((holeEnd >>> 12) + section / 2, section))
        .isEqualTo(fourGib + 2 * section);
    // a last zone of 128 MiB or less defers nothing
    assertThat(BootSequence.firstDeferredPfn(List.<long[]>of(new long[] {MIB, 64 * MIB})))
        .isEqualTo(Long.MAX_VALUE);
  }

  private static long[] range(long fromGib, long toGib) {
    return new long[] {fromGib * GIB, toGib * GIB};
  }

  /**
   * start_kernel() and smp_init() allocate before kernel_init_freeable() runs
   * page_alloc_init_late() (init/main.c at v6.12): so every early allocation lies below the first
   * deferred pfn, and mainline's accept storm (one chunk per allocation while the watermarks are 0,
   * try_to_accept_memory_one()) can only accept what memblock_free_all() parked on Normal's
   * unaccepted list, the first 128 MiB: not one chunk per early allocation.
   */
  @Test
  void earlyAllocations_runBeforeDeferredInit_soTheyLieBelowTheDeferredPart() {
    EfiMemoryMap map = OvmfLayout.generate(8 * GIB, 512 * MIB, true);
    BootSequence b = boot(map, KernelModel.MAINLINE, false, 4);
    b.firmware();
    b.efiStub();
    PageAllocator a = b.kernel();
    long firstDeferred = (4 * GIB >>> 12) + SetupArch.PAGES_PER_SECTION;
    long[] highest = {-1};
    a.forEachAllocation((pfn, order, mt) -> highest[0] = Math.max(highest[0], pfn));
    assertThat(a.liveAllocations()).isEqualTo(BootCosts.DEFAULTS.earlyAllocations(4));
    assertThat(highest[0]).isBetween(0L, firstDeferred - 1);
    assertThat(phase(b, "early-allocations").acceptedBytes())
        .isGreaterThanOrEqualTo(128 * MIB)
        .isLessThan(136 * MIB);
    // nothing above the boundary was accepted by the allocator (memblock's top-down allocations
    // at the end of RAM aside)
    for (long p = firstDeferred << 12; p < 6 * GIB; p += 4 * MIB) {
      assertThat(host.isAccepted(p, p + 4 * MIB)).as("chunk at %x", p).isFalse();
    }
  }

  /**
   * 6.5.0's accept_memory() (drivers/firmware/efi/unaccepted_memory.c at v6.5) holds
   * unaccepted_memory_lock across arch_accept_memory(): deferred init's threads accept one after
   * another, so with accept_memory=eager the phase takes all of its acceptance time; since
   * 50e782a86c98 (v6.6, the accepting_list) mainline's threads accept in parallel.
   */
  @Test
  void eagerDeferredInit_acceptsSerially_in65_andInParallel_inMainline() {
    assertThat(KernelModel.V6_5.serialisesAcceptance()).isTrue();
    assertThat(KernelModel.MAINLINE.serialisesAcceptance()).isFalse();
    assertThat(KernelModel.V6_1.serialisesAcceptance()).isFalse();
    BootPhase[] deferred = new BootPhase[2];
    KernelModel[] kernels = {KernelModel.V6_5, KernelModel.MAINLINE};
    for (int i = 0; i < 2; i++) {
      EfiMemoryMap map = OvmfLayout.generate(8 * GIB, 512 * MIB, true);
      BootSequence b = boot(map, kernels[i], true, 8, BootCosts.DEFAULTS, new HostMemory());
      b.firmware();
      b.efiStub();
      b.kernel();
      deferred[i] = phase(b, "deferred-init");
    }
    // the same memory accepted at the same cost, but 6.5's threads wait for each other; mainline's
    // share it by the Amdahl speed-up (1.6 on 8 vCPUs with the 55.6 % serial part)
    assertThat(deferred[0].acceptNanos()).isEqualTo(deferred[1].acceptNanos()).isPositive();
    assertThat(deferred[0].simulatedNanos()).isGreaterThanOrEqualTo(deferred[0].acceptNanos());
    assertThat(deferred[1].simulatedNanos())
        .isLessThan(deferred[1].acceptNanos())
        .isLessThan(deferred[0].simulatedNanos());
  }

  /**
   * The initrd (reserve_initrd(), freed by free_initrd_mem() from populate_rootfs, a
   * rootfs_initcall) and the image's init sections (free_initmem() in kernel_init()) are freed
   * after init_per_zone_wmark_min() (postcore_initcall): they end as managed, free pages, but the
   * watermarks were computed without them.
   */
  @Test
  void initrdAndInitSections_areFreedAfterTheWatermarksWereSet() {
    EfiMemoryMap map = OvmfLayout.generate(2 * GIB, 2 * GIB, true);
    BootCosts d = BootCosts.DEFAULTS;
    PageAllocator[] a = new PageAllocator[3];
    BootSequence[] b = new BootSequence[3];
    BootCosts[] costs = {
      d.withImages(d.kernelImageBytes(), d.percpuBytesPerVcpu(), 0, 0),
      d.withImages(d.kernelImageBytes(), d.percpuBytesPerVcpu(), 0, 64 * MIB),
      d.withImages(d.kernelImageBytes(), d.percpuBytesPerVcpu(), 8 * MIB, 0)
    };
    for (int i = 0; i < 3; i++) {
      b[i] = boot(map, KernelModel.V6_1, false, 2, costs[i], new HostMemory());
      b[i].firmware();
      b[i].efiStub();
      a[i] = b[i].kernel();
    }
    // the initrd: at the top of RAM below 4 GiB, reserved until freed, then free and managed
    long initrd = b[1].initrdPhys();
    assertThat(initrd).isPositive().isLessThan(2 * GIB);
    assertThat(b[0].initrdPhys()).isEqualTo(-1);
    assertThat(b[1].memblock().reservedRanges())
        .noneSatisfy(r -> assertThat(r[0] < initrd + 64 * MIB && r[1] > initrd).isTrue());
    assertThat(a[1].isAllocated(initrd >>> 12)).isFalse();
    assertThat(a[1].managedPages()).isEqualTo(a[0].managedPages());
    assertThat(a[1].watermarkPages(WatermarkLevel.MIN))
        .isLessThan(a[0].watermarkPages(WatermarkLevel.MIN));
    // the init sections: 8 MiB more managed pages than an image that frees nothing, same watermarks
    assertThat(a[2].managedPages() - a[0].managedPages()).isEqualTo(8 * MIB / 4096);
    assertThat(a[2].watermarkPages(WatermarkLevel.MIN))
        .isEqualTo(a[0].watermarkPages(WatermarkLevel.MIN));
    assertThat(phase(b[2], "initcalls").acceptedBytes()).isZero();
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
