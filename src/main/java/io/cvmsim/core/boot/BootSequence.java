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
 * that point of a real boot (init/main.c start_kernel() and kernel_init_freeable()):
 *
 * <ol>
 *   <li>firmware: accepts the memory it used (every descriptor it hands over that is not
 *       EFI_UNACCEPTED_MEMORY, reserved or MMIO, and the initrd it loaded), or all memory if the
 *       kernel does not support unaccepted memory;
 *   <li>EFI stub: allocate_unaccepted_bitmap() and process_unaccepted_memory();
 *   <li>decompressor: accepts the memory the kernel image lands in (the stub's accept_memory());
 *   <li>early kernel: memblock reservations and allocations ({@link SetupArch});
 *   <li>memblock_free_all() (mm_core_init()): the hand-over to the page allocator of everything
 *       below the first deferred pfn, parking MAX_ORDER chunks that contain unaccepted memory (or
 *       accepting them with accept_memory=eager); then setup_per_cpu_pageset();
 *   <li>early allocations: the kernel's allocations up to and during smp_init(), all made while
 *       every watermark is still 0 (mainline accepts a chunk for each);
 *   <li>deferred init: page_alloc_init_late(), after smp_init(), frees the rest of the node's last
 *       zone on all vCPUs;
 *   <li>initcalls: init_per_zone_wmark_min() (postcore) and khugepaged's
 *       set_recommended_min_free_kbytes() (subsys, with THP) set the watermarks from the managed
 *       pages of that moment; then the initrd is freed once unpacked (free_initrd_mem()) and the
 *       image's init sections (free_initmem(), mark_rodata_ro()), so they count in the managed
 *       pages but not in the watermarks;
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
  private long initrdPhys = -1;

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
    allocator.setupPagesets();
    earlyAllocations();
    deferredInit(ram, free, firstDeferredPfn);
    initcalls();
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
    initrdPhys = SetupArch.initrdPhys(loaderRam(), costs.initrdBytes());
    setup.reserve(kernelBase, costs.kernelImageBytes(), initrdPhys, costs.initrdBytes());
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

  /**
   * page_alloc_init_late(): the rest of the node's last zone, on all vCPUs. Where the kernel's
   * accept_memory() holds its lock across arch_accept_memory() (6.5.0), the threads accept one
   * after another: the phase takes at least all of its acceptance time, however many vCPUs share
   * the rest.
   */
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
    long fixed = costs.memmapInitNanosPerPage() * pages;
    double speedup = costs.parallelSpeedup(vcpus);
    long acceptNanos = host.simulatedNanos() - mark[0];
    long total = Math.round((fixed + acceptNanos) / speedup);
    if (kernel.serialisesAcceptance()) {
      total = Math.max(total, acceptNanos);
    }
    phases.add(new BootPhase("deferred-init", total, acceptedBytes() - mark[1], acceptNanos));
  }

  /**
   * Early allocations while every watermark is still 0: start_kernel() and smp_init() allocate
   * before page_alloc_init_late() runs, so they see only what memblock_free_all() handed over.
   */
  private void earlyAllocations() {
    long[] mark = mark();
    int early = costs.earlyAllocations(vcpus);
    for (int i = 0; i < early; i++) {
      allocator.allocPages(i % vcpus, Gfp.GFP_KERNEL, 0);
    }
    phase("early-allocations", 0, mark, 1.0);
  }

  /**
   * The initcalls: the watermarks (init_per_zone_wmark_min(), then khugepaged's recommendation with
   * THP), then the memory freed after them: the initrd once unpacked and the image's init sections,
   * page by page on the boot CPU as free_reserved_area() frees them.
   */
  private void initcalls() {
    long[] mark = mark();
    allocator.initPerZoneWmarkMin();
    if (khugepaged) {
      allocator.setRecommendedMinFreeKbytes();
    }
    if (initrdPhys >= 0) {
      freeReserved(initrdPhys, Sizes.alignUp(costs.initrdBytes(), Sizes.PAGE_SIZE));
    }
    long init = costs.kernelInitBytes() & -Sizes.PAGE_SIZE;
    freeReserved(kernelBase + costs.kernelImageBytes() - init, init);
    phase("initcalls", 0, mark, 1.0);
  }

  /**
   * Frees the reserved {@code [phys, phys + bytes)} to the page allocator and ends its memblock
   * reservation. The image's init sections are taken at the end of the image: where its unused
   * decrypted bss lies; the kernel's init text and data lie a few MiB lower, in the same zone.
   */
  private void freeReserved(long phys, long bytes) {
    if (bytes <= 0) {
      return;
    }
    long s = phys >>> Sizes.PAGE_SHIFT;
    allocator.freeReservedArea(0, s, s + (bytes >>> Sizes.PAGE_SHIFT));
    memblock.free(phys, bytes);
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
   * (-1 for none), the kernel image and the initrd (-1 for none) lie.
   */
  public void restoreKernel(
      Memblock restoredMemblock,
      PageAllocator restoredAllocator,
      long table,
      long kernel,
      long initrd) {
    memblock = restoredMemblock;
    allocator = restoredAllocator;
    tablePhys = table;
    kernelBase = kernel;
    initrdPhys = initrd;
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

  /**
   * Returns the RAM a boot loader could load into before the kernel ran: usable RAM the firmware
   * handed over accepted (not EFI_UNACCEPTED_MEMORY), merged, page 0 removed.
   */
  private List<long[]> loaderRam() {
    List<long[]> out = new ArrayList<>();
    for (EfiMemoryDescriptor d : map.descriptors()) {
      if (!d.type().isUsableRam() || d.type() == EfiMemoryType.UNACCEPTED) {
        continue;
      }
      long s = Math.max(d.physStart(), Sizes.PAGE_SIZE);
      if (s >= d.end()) {
        continue;
      }
      if (!out.isEmpty() && out.get(out.size() - 1)[1] == s) {
        out.get(out.size() - 1)[1] = d.end();
      } else {
        out.add(new long[] {s, d.end()});
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
   * Models defer_init() (mm/mm_init.c; mm/page_alloc.c in 6.1, identical at v6.1, v6.5 and v6.12):
   * only the node's last zone (the one whose end is the node's end: Normal, or DMA32 in a guest
   * under 4 GiB) is deferred; memmap_init() counts its present pages and defers from the first
   * section-aligned pfn once more than PAGES_PER_SECTION of them are initialised, so the first 128
   * MiB of that zone are handed over at once. Returns that pfn, or {@link Long#MAX_VALUE} if the
   * zone is too small to defer anything.
   */
  static long firstDeferredPfn(List<long[]> ram) {
    List<long[]> pfns = pfnRanges(ram);
    if (pfns.isEmpty()) {
      return Long.MAX_VALUE;
    }
    ZoneType last = ZoneType.ofPfn(pfns.get(pfns.size() - 1)[1] - 1);
    long initialised = 0;
    for (long[] r : pfns) {
      long s = Math.max(r[0], last.lowestPfn());
      if (s >= r[1]) {
        continue;
      }
      long p =
          Sizes.alignUp(
              s + Math.max(0, SetupArch.PAGES_PER_SECTION - initialised),
              SetupArch.PAGES_PER_SECTION);
      if (p < r[1]) {
        return p;
      }
      initialised += r[1] - s;
    }
    return Long.MAX_VALUE;
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

  /** Returns where the initrd lies, or -1 without one (or before the kernel stage). */
  public long initrdPhys() {
    return initrdPhys;
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
