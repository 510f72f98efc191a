package io.cvmsim.core.boot;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.Memblock;
import java.util.List;

/**
 * Models the memblock work of the early kernel (arch/x86/kernel/setup.c setup_arch() and what it
 * calls, before the page allocator exists): the reservations (the first 1 MiB, the kernel image,
 * the unaccepted table) and the allocations, top-down and each accepted at once as {@code
 * memblock_alloc_range_nid()} does (page tables, the sparse vmemmap, percpu areas, the SWIOTLB
 * bounce buffer).
 */
final class SetupArch {

  /** memblock_reserve(0, SZ_1M): x86 always reserves the first 1 MiB. */
  static final long LOW_RESERVE = Sizes.MIB;

  /** CONFIG_PHYSICAL_START: where the kernel image is loaded without KASLR. */
  static final long PHYSICAL_START = 16 * Sizes.MIB;

  /** Bytes of memmap per 128 MiB section, PMD-mapped: ALIGN(64 * 32768, PMD_SIZE). */
  static final long SECTION_MAP_SIZE = 2 * Sizes.MIB;

  /** PAGES_PER_SECTION on x86-64 (SECTION_SIZE_BITS 27). */
  static final long PAGES_PER_SECTION = 1L << 15;

  private static final long FOUR_GIB = 1L << 32;

  private final EfiMemoryMap map;
  private final Memblock memblock;
  private final UnacceptedMemory unaccepted;
  private final boolean confidential;
  private long tablePhys = -1;

  SetupArch(
      EfiMemoryMap map, Memblock memblock, UnacceptedMemory unaccepted, boolean confidential) {
    this.map = map;
    this.memblock = memblock;
    this.unaccepted = unaccepted;
    this.confidential = confidential;
  }

  /**
   * Returns where the decompressor puts a kernel image of {@code size} bytes: at
   * CONFIG_PHYSICAL_START in the first RAM range that holds it from there, else at the first 2
   * MiB-aligned place that holds it; -1 if none does.
   */
  static long placeKernel(List<long[]> ram, long size) {
    long best = -1;
    for (long[] r : ram) {
      long s = Math.max(Sizes.alignUp(r[0], 2 * Sizes.MIB), PHYSICAL_START);
      if (s + size <= r[1]) {
        return s;
      }
      long any = Sizes.alignUp(r[0], 2 * Sizes.MIB);
      if (best < 0 && any + size <= r[1]) {
        best = any;
      }
    }
    return best;
  }

  /** Reserves the first 1 MiB, the kernel image and the unaccepted table. */
  void reserve(long kernelBase, long kernelBytes) {
    memblock.reserve(0, LOW_RESERVE);
    memblock.reserve(kernelBase, kernelBytes);
    reserveUnacceptedTable();
  }

  /**
   * Allocates what the early kernel needs: page tables for the direct map, the vmemmap of every
   * present section, {@code percpuBytes} of percpu areas in 2 MiB atoms, and the SWIOTLB buffer.
   */
  void allocate(List<long[]> ram, long percpuBytes) {
    long ramEnd = ram.get(ram.size() - 1)[1];
    alloc(
        Sizes.PAGE_SIZE * (4 + (ramEnd + (512L << 30) - 1) / (512L << 30)),
        Sizes.PAGE_SIZE,
        0,
        Long.MAX_VALUE,
        true,
        "page tables");
    allocMemmap(ram);
    for (long done = 0; done < percpuBytes; done += 2 * Sizes.MIB) {
      alloc(2 * Sizes.MIB, 2 * Sizes.MIB, PHYSICAL_START, Long.MAX_VALUE, true, "percpu");
    }
    long swiotlb = swiotlbBytes(ram);
    if (swiotlb > 0) {
      alloc(swiotlb, Sizes.PAGE_SIZE, 0, FOUR_GIB, false, "swiotlb");
    }
  }

  /** Returns where the unaccepted table lies, or -1. */
  long tablePhys() {
    return tablePhys;
  }

  /** The EFI stub put the table in the highest CONVENTIONAL memory below 4 GiB that holds it. */
  private void reserveUnacceptedTable() {
    UnacceptedTable table = unaccepted.table();
    if (table == null) {
      return;
    }
    long bytes = Sizes.alignUp(table.tableBytes(), Sizes.PAGE_SIZE);
    List<EfiMemoryDescriptor> ds = map.descriptors();
    for (int i = ds.size() - 1; i >= 0; i--) {
      EfiMemoryDescriptor d = ds.get(i);
      if (d.type() != EfiMemoryType.CONVENTIONAL || d.physStart() >= FOUR_GIB) {
        continue;
      }
      long end = Math.min(d.end(), FOUR_GIB);
      if (end - d.physStart() >= bytes) {
        tablePhys = end - bytes;
        memblock.reserve(tablePhys, bytes);
        return;
      }
    }
  }

  /** Models sparse_init()'s vmemmap: one PMD-mapped 2 MiB block per present section. */
  private void allocMemmap(List<long[]> ram) {
    long sections = 0;
    long lastSection = -1;
    for (long[] r : BootSequence.pfnRanges(ram)) {
      long first = r[0] / PAGES_PER_SECTION;
      long last = (r[1] - 1) / PAGES_PER_SECTION;
      sections += last - first + 1 - (first == lastSection ? 1 : 0);
      lastSection = last;
    }
    long bytes = sections * SECTION_MAP_SIZE;
    long p = memblock.alloc(bytes, SECTION_MAP_SIZE, PHYSICAL_START, Long.MAX_VALUE);
    if (p >= 0) {
      unaccepted.acceptMemory(p, p + bytes, AcceptTrigger.MEMBLOCK);
      return;
    }
    for (long i = 0; i < sections; i++) {
      alloc(SECTION_MAP_SIZE, SECTION_MAP_SIZE, 0, Long.MAX_VALUE, true, "memmap");
    }
  }

  /**
   * Returns the SWIOTLB size: confidential guests bounce all DMA through shared memory and size it
   * at 6% of RAM, clamped to [64 MiB, 1 GiB] (mem_encrypt_setup_arch()); a plain guest has the
   * default 64 MiB only when it has RAM above 4 GiB (pci_swiotlb_detect()).
   */
  private long swiotlbBytes(List<long[]> ram) {
    long total = 0;
    long end = 0;
    for (long[] r : ram) {
      total += r[1] - r[0];
      end = Math.max(end, r[1]);
    }
    if (!confidential) {
      return end > FOUR_GIB ? 64 * Sizes.MIB : 0;
    }
    long size = total * 6 / 100;
    size = Math.max(64 * Sizes.MIB, Math.min(size, Sizes.GIB));
    return Sizes.alignUp(size, 256 * Sizes.KIB);
  }

  /** Models memblock_alloc_range_nid(): a top-down allocation, accepted at once. */
  private void alloc(long size, long align, long min, long max, boolean required, String what) {
    long p = memblock.alloc(size, align, min, max);
    if (p < 0) {
      if (required) {
        throw SimulatorException.unprocessable(
            "memory",
            "memblock could not allocate "
                + Sizes.format(size)
                + " for "
                + what
                + ": the guest is too small to boot");
      }
      return;
    }
    unaccepted.acceptMemory(p, p + size, AcceptTrigger.MEMBLOCK);
  }
}
