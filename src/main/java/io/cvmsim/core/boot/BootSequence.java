package io.cvmsim.core.boot;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.accept.AcceptListener;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.HostMemory;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.firmware.EfiStub;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.mm.Memblock;
import io.cvmsim.core.mm.PageAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots one guest stage by stage and records the timeline. Each stage mirrors the code that runs at
 * that point of a real boot:
 *
 * <ol>
 *   <li>firmware: accepts the memory it used (every descriptor it hands over that is not
 *       EFI_UNACCEPTED_MEMORY, reserved or MMIO), or all memory if the kernel does not support
 *       unaccepted memory;
 *   <li>EFI stub: allocate_unaccepted_bitmap() and process_unaccepted_memory();
 *   <li>decompressor: accepts the memory the kernel image lands in (the stub's accept_memory());
 *   <li>early kernel: memblock reservations and allocations ({@link SetupArch});
 *   <li>memblock_free_all(): the hand-over to the page allocator, parking MAX_ORDER chunks that
 *       contain unaccepted memory (or accepting them with accept_memory=eager);
 *   <li>deferred init: the part of the hand-over above the first 128 MiB of the highest zone,
 *       charged as running on all vCPUs;
 *   <li>early allocations made while all watermarks are still 0, then init_per_zone_wmark_min() (a
 *       postcore initcall, after deferred init);
 *   <li>userspace.
 * </ol>
 */
public final class BootSequence {

  private final EfiMemoryMap map;
  private final AcceptPlatform platform;
  private final AcceptListener listener;
  private final HostMemory host;
  private final BootCosts costs;
  private final KernelModel kernel;
  private final boolean eager;
  private final boolean confidential;
  private final int vcpus;
  private final boolean khugepaged;
  private final List<BootPhase> phases = new ArrayList<>();

  private UnacceptedMemory unaccepted;
  private Memblock memblock;
  private PageAllocator allocator;
  private long tablePhys = -1;
  private long kernelBase = -1;

  /**
   * Creates the boot of a guest.
   *
   * @param map the firmware's memory map
   * @param platform how the guest accepts memory
   * @param listener hears every acceptance (the accept log, the host, metrics)
   * @param host the host's view, read for the time and bytes each phase accepted
   * @param costs the non-acceptance costs
   * @param kernel the kernel model
   * @param eager accept_memory=eager
   * @param vcpus the guest's vCPUs
   * @param khugepaged whether THP is enabled so khugepaged raises min_free_kbytes
   */
  public BootSequence(
      EfiMemoryMap map,
      AcceptPlatform platform,
      AcceptListener listener,
      HostMemory host,
      BootCosts costs,
      KernelModel kernel,
      boolean eager,
      int vcpus,
      boolean khugepaged) {
    this.map = map;
    this.platform = platform;
    this.listener = listener;
    this.host = host;
    this.costs = costs;
    this.kernel = kernel;
    this.eager = eager;
    this.confidential = platform.confidential();
    this.vcpus = vcpus;
    this.khugepaged = khugepaged;
  }

  // ------------------------------------------------------------------ firmware and stub

  /**
   * Runs the firmware stage: accepts what the firmware used, and everything when the kernel cannot
   * take unaccepted memory (the stub never asks the firmware to leave memory unaccepted, so it
   * accepts all of it at ExitBootServices()).
   */
  public void firmware() {
    long[] mark = mark();
    if (!confidential) {
      host.backWithoutAccept(map.usableRamBytes());
    } else {
      boolean all = !kernel.supportsUnacceptedMemory();
      long runStart = -1;
      long runEnd = -1;
      for (EfiMemoryDescriptor d : map.descriptors()) {
        if (!d.type().isAcceptedByFirmware() && !(all && d.type() == EfiMemoryType.UNACCEPTED)) {
          continue;
        }
        if (d.physStart() == runEnd) {
          runEnd = d.end();
          continue;
        }
        firmwareAccept(runStart, runEnd);
        runStart = d.physStart();
        runEnd = d.end();
      }
      firmwareAccept(runStart, runEnd);
    }
    phase("firmware", costs.firmwareFixedNanos(), mark, 1.0);
  }

  private void firmwareAccept(long start, long end) {
    if (start < 0 || end <= start) {
      return;
    }
    AcceptOperations ops = platform.accept(start, end, AcceptPhase.FIRMWARE);
    listener.accepted(AcceptPhase.FIRMWARE, AcceptTrigger.FIRMWARE, start, end, ops);
  }

  /**
   * Runs the EFI stub: builds the unaccepted table (none for a plain VM, a kernel without
   * unaccepted memory support, or a map without unaccepted memory) and accepts what it cannot
   * record. Returns the kernel's view of the table.
   */
  public UnacceptedMemory efiStub() {
    long[] mark = mark();
    UnacceptedTable table = null;
    if (confidential && kernel.supportsUnacceptedMemory()) {
      table =
          EfiStub.install(
              map,
              Sizes.UNIT_SIZE,
              (s, e) -> {
                AcceptOperations ops = platform.accept(s, e, AcceptPhase.STUB);
                listener.accepted(AcceptPhase.STUB, AcceptTrigger.STUB, s, e, ops);
              });
    }
    unaccepted = new UnacceptedMemory(table, platform, listener);
    phase("efi-stub", costs.stubFixedNanos(), mark, 1.0);
    return unaccepted;
  }

  // ------------------------------------------------------------------ the kernel

  /**
   * Runs the kernel until userspace: decompressor, memblock, the hand-over to the page allocator,
   * deferred init, the early allocations and the watermarks. Returns the page allocator.
   *
   * @throws SimulatorException (422) if the map has too little RAM to boot a kernel
   */
  public PageAllocator kernel() {
    List<long[]> ram = ramRanges();
    if (ram.isEmpty()) {
      throw SimulatorException.unprocessable(
          "efiMemoryMap", "the memory map has no usable RAM to boot a kernel in");
    }
    memblock = new Memblock(ram);
    decompressor(ram);
    earlyKernel(ram);
    allocator = new PageAllocator(kernel, eager, unaccepted, pfnRanges(ram), vcpus);
    List<long[]> free = memblock.freeRanges();
    long firstDeferredPfn = firstDeferredPfn(ram);
    memblockFreeAll(ram, free, firstDeferredPfn);
    deferredInit(ram, free, firstDeferredPfn);
    allocator.setupPagesets();
    earlyAllocations();
    phase("userspace", costs.userspaceFixedNanos(), mark(), 1.0);
    return allocator;
  }

  /** The decompressor: the kernel image is accepted by the stub's accept_memory(), no guard. */
  private void decompressor(List<long[]> ram) {
    long[] mark = mark();
    kernelBase = SetupArch.placeKernel(ram, costs.kernelImageBytes());
    if (kernelBase < 0) {
      throw SimulatorException.unprocessable(
          "memory",
          "no RAM range can hold the "
              + Sizes.format(costs.kernelImageBytes())
              + " kernel image: the guest is too small to boot");
    }
    unaccepted.acceptMemoryEarly(
        kernelBase,
        kernelBase + costs.kernelImageBytes(),
        AcceptPhase.KERNEL,
        AcceptTrigger.MEMBLOCK);
    phase("decompressor", costs.decompressorFixedNanos(), mark, 1.0);
  }

  /** setup_arch() and friends: memblock reservations and allocations. */
  private void earlyKernel(List<long[]> ram) {
    long[] mark = mark();
    SetupArch setup = new SetupArch(map, memblock, unaccepted, confidential);
    setup.reserve(kernelBase, costs.kernelImageBytes());
    tablePhys = setup.tablePhys();
    setup.allocate(ram, (long) vcpus * costs.percpuBytesPerVcpu());
    phase("early-kernel", costs.earlyKernelFixedNanos(), mark, 1.0);
  }

  /** memblock_free_all(): the free ranges below the first deferred pfn. */
  private void memblockFreeAll(List<long[]> ram, List<long[]> free, long firstDeferredPfn) {
    long[] mark = mark();
    for (long[] r : free) {
      long s = Sizes.alignUp(r[0], Sizes.PAGE_SIZE) >>> Sizes.PAGE_SHIFT;
      long e = Math.min(r[1] >>> Sizes.PAGE_SHIFT, firstDeferredPfn);
      if (s < e) {
        allocator.freeBootRange(s, e);
      }
    }
    long pages = 0;
    for (long[] r : pfnRanges(ram)) {
      pages += Math.max(0, Math.min(r[1], firstDeferredPfn) - r[0]);
    }
    phase("memblock-free-all", costs.memmapInitNanosPerPage() * pages, mark, 1.0);
  }

  /** page_alloc_init_late(): the rest of the highest zone, on all vCPUs. */
  private void deferredInit(List<long[]> ram, List<long[]> free, long firstDeferredPfn) {
    long[] mark = mark();
    for (long[] r : free) {
      long s =
          Math.max(Sizes.alignUp(r[0], Sizes.PAGE_SIZE) >>> Sizes.PAGE_SHIFT, firstDeferredPfn);
      long e = r[1] >>> Sizes.PAGE_SHIFT;
      if (s < e) {
        allocator.freeBootRange(s, e);
      }
    }
    long pages = 0;
    for (long[] r : pfnRanges(ram)) {
      pages += Math.max(0, r[1] - Math.max(r[0], firstDeferredPfn));
    }
    phase(
        "deferred-init",
        costs.memmapInitNanosPerPage() * pages,
        mark,
        costs.parallelSpeedup(vcpus));
  }

  /** Early allocations while every watermark is still 0, then the postcore initcall. */
  private void earlyAllocations() {
    long[] mark = mark();
    int early = costs.earlyAllocations(vcpus);
    for (int i = 0; i < early; i++) {
      allocator.allocPages(i % vcpus, Gfp.GFP_KERNEL, 0);
    }
    allocator.initPerZoneWmarkMin();
    if (khugepaged) {
      allocator.setRecommendedMinFreeKbytes();
    }
    phase("early-allocations", 0, mark, 1.0);
  }

  // ------------------------------------------------------------------ restoring

  /**
   * Restores, instead of running the stages, the timeline of a boot as a snapshot holds it (the
   * stages that ran, in order).
   */
  public void restorePhases(List<BootPhase> restored) {
    phases.clear();
    phases.addAll(restored);
  }

  /**
   * Restores what the EFI stub left: its table (null for none), as the kernel's view this boot
   * accepts through. Returns that view.
   */
  public UnacceptedMemory restoreStub(UnacceptedTable table) {
    unaccepted = new UnacceptedMemory(table, platform, listener);
    return unaccepted;
  }

  /**
   * Restores what the kernel stage left: memblock, the page allocator, where the unaccepted table
   * (-1 for none) and the kernel image lie.
   */
  public void restoreKernel(
      Memblock restoredMemblock, PageAllocator restoredAllocator, long table, long kernel) {
    memblock = restoredMemblock;
    allocator = restoredAllocator;
    tablePhys = table;
    kernelBase = kernel;
  }

  // ------------------------------------------------------------------ memory ranges

  /** Returns the E820 RAM ranges as memblock sees them: merged, with page 0 removed. */
  public List<long[]> ramRanges() {
    List<long[]> out = new ArrayList<>();
    for (EfiMemoryDescriptor d : map.descriptors()) {
      if (!d.type().isUsableRam()) {
        continue;
      }
      long s = Math.max(d.physStart(), Sizes.PAGE_SIZE);
      long e = d.end();
      if (s >= e) {
        continue;
      }
      if (!out.isEmpty() && out.get(out.size() - 1)[1] == s) {
        out.get(out.size() - 1)[1] = e;
      } else {
        out.add(new long[] {s, e});
      }
    }
    return out;
  }

  /** Returns the whole pages of physical ranges, as pfn ranges. */
  public static List<long[]> pfnRanges(List<long[]> ram) {
    List<long[]> out = new ArrayList<>();
    for (long[] r : ram) {
      long s = Sizes.alignUp(r[0], Sizes.PAGE_SIZE) >>> Sizes.PAGE_SHIFT;
      long e = r[1] >>> Sizes.PAGE_SHIFT;
      if (s < e) {
        out.add(new long[] {s, e});
      }
    }
    return out;
  }

  /**
   * Models defer_init(): the highest zone initialises its first section-aligned 128 MiB at boot and
   * defers the rest; lower zones are never deferred.
   */
  private static long firstDeferredPfn(List<long[]> ram) {
    long normalStart = -1;
    for (long[] r : pfnRanges(ram)) {
      long s = Math.max(r[0], ZoneType.NORMAL.lowestPfn());
      if (s < r[1]) {
        normalStart = s;
        break;
      }
    }
    if (normalStart < 0) {
      return Long.MAX_VALUE;
    }
    long boundary = normalStart + SetupArch.PAGES_PER_SECTION + 1;
    return Sizes.alignUp(boundary, SetupArch.PAGES_PER_SECTION);
  }

  // ------------------------------------------------------------------ timeline

  private long[] mark() {
    return new long[] {host.simulatedNanos(), acceptedBytes()};
  }

  private long acceptedBytes() {
    long sum = 0;
    for (AcceptTrigger t : AcceptTrigger.values()) {
      sum += host.acceptedBytes(t);
    }
    return sum;
  }

  private void phase(String name, long fixedNanos, long[] mark, double speedup) {
    long acceptNanos = host.simulatedNanos() - mark[0];
    long accepted = acceptedBytes() - mark[1];
    long total = Math.round((fixedNanos + acceptNanos) / speedup);
    phases.add(new BootPhase(name, total, accepted, acceptNanos));
  }

  /** Returns the phases so far. */
  public List<BootPhase> phases() {
    return List.copyOf(phases);
  }

  /** Returns the memblock state after the kernel stage, or null before. */
  public Memblock memblock() {
    return memblock;
  }

  /** Returns where the unaccepted table lies, or -1. */
  public long tablePhys() {
    return tablePhys;
  }

  /** Returns where the kernel image lies, or -1 before the kernel stage. */
  public long kernelBase() {
    return kernelBase;
  }

  /** Returns the kernel's view of the unaccepted table, or null before the stub ran. */
  public UnacceptedMemory unaccepted() {
    return unaccepted;
  }
}
