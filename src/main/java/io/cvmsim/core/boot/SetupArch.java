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
 * Models the memblock work of the early kernel (arch/x86/kernel/setup.c setup_arch() and what
 * start_kernel() calls before memblock_free_all()): the reservations (the first 1 MiB, the kernel
 * image, the initrd, the unaccepted table) and the allocations, top-down and each accepted at once
 * as {@code memblock_alloc_range_nid()} does, in the kernel's order: page tables, NODE_DATA, the
 * sparse mem_section roots and vmemmap, percpu areas, the dentry and inode hash tables, the SWIOTLB
 * bounce buffer. Each lands where the kernel's lands (dmesg's NODE_DATA, RAMDISK, "software IO TLB:
 * mapped" lines), so the zones' managed pages follow.
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

  /**
   * sizeof(pg_data_t) of a distribution kernel: dmesg's "NODE_DATA(0) allocated" spans 176,128
   * bytes in Debian's 6.1 and 174,464 in its 6.12.
   */
  static final long NODE_DATA_BYTES = 172 * Sizes.KIB;

  /**
   * The mem_section root array, NR_SECTION_ROOTS pointers: with 5-level paging (MAX_PHYSMEM_BITS
   * 52, what distribution kernels run on CPUs with LA57, the recorded guests among them) 2^(52-27)
   * sections / 256 per root = 131,072 roots, 1 MiB (include/linux/mmzone.h, mm/sparse.c
   * memory_present()).
   */
  static final long SECTION_ROOTS_BYTES = (1L << (52 - 27)) / 256 * 8;

  /** SECTIONS_PER_ROOT: one page of struct mem_section (16 bytes each) per root. */
  static final long SECTIONS_PER_ROOT = Sizes.PAGE_SIZE / 16;

  /** SMP_CACHE_BYTES, the alignment of memblock_alloc(). */
  static final long CACHE_LINE = 64;

  /** ADAPT_SCALE_NPAGES of alloc_large_system_hash(): 64 GiB in pages. */
  private static final long ADAPT_SCALE_NPAGES = (64L << 30) >>> Sizes.PAGE_SHIFT;

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

  /**
   * Returns where a boot loader puts an initrd of {@code bytes}: at the top of the RAM below 4 GiB,
   * its end rounded down to 64 KiB, its start to a page (QEMU's direct boot does so in every
   * recorded guest: dmesg's "RAMDISK: [mem 0x3fa60000-0x3ffcffff]" under RAM that ends at
   * 0x3ffdf000); -1 if there is no initrd or no RAM range below 4 GiB holds it.
   */
  static long initrdPhys(List<long[]> ram, long bytes) {
    if (bytes <= 0) {
      return -1;
    }
    for (int i = ram.size() - 1; i >= 0; i--) {
      long[] r = ram.get(i);
      if (r[0] >= FOUR_GIB) {
        continue;
      }
      long end = Math.min(r[1], FOUR_GIB) & -(64 * Sizes.KIB);
      long start = (end - bytes) & -Sizes.PAGE_SIZE;
      return start >= r[0] && end > start ? start : -1;
    }
    return -1;
  }

  /**
   * Reserves the first 1 MiB, the kernel image, the initrd ({@code initrdPhys} -1 for none; the
   * reservation is page-aligned as reserve_initrd() makes it) and the unaccepted table.
   */
  void reserve(long kernelBase, long kernelBytes, long initrdPhys, long initrdBytes) {
    memblock.reserve(0, LOW_RESERVE);
    memblock.reserve(kernelBase, kernelBytes);
    if (initrdPhys >= 0) {
      memblock.reserve(initrdPhys, Sizes.alignUp(initrdBytes, Sizes.PAGE_SIZE));
    }
    reserveUnacceptedTable();
  }

  /**
   * Allocates what the early kernel needs, in the kernel's order: page tables for the direct map,
   * NODE_DATA, the mem_section roots and the vmemmap of every present section, {@code percpuBytes}
   * of percpu areas in 2 MiB atoms, the dentry and inode hash tables, and the SWIOTLB buffer.
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
    alloc(NODE_DATA_BYTES, CACHE_LINE, 0, Long.MAX_VALUE, true, "NODE_DATA");
    long lastSection = (ramEnd - 1) / (PAGES_PER_SECTION << Sizes.PAGE_SHIFT);
    alloc(SECTION_ROOTS_BYTES, CACHE_LINE, 0, Long.MAX_VALUE, true, "mem_section");
    alloc(
        (lastSection / SECTIONS_PER_ROOT + 1) * Sizes.PAGE_SIZE,
        Sizes.PAGE_SIZE,
        0,
        Long.MAX_VALUE,
        true,
        "mem_section");
    allocMemmap(ram);
    for (long done = 0; done < percpuBytes; done += 2 * Sizes.MIB) {
      alloc(2 * Sizes.MIB, 2 * Sizes.MIB, PHYSICAL_START, Long.MAX_VALUE, true, "percpu");
    }
    long kernelPages = freePages();
    alloc(hashBytes(kernelPages, 13, ram), CACHE_LINE, 0, Long.MAX_VALUE, true, "dentry hash");
    alloc(hashBytes(kernelPages, 14, ram), CACHE_LINE, 0, Long.MAX_VALUE, true, "inode hash");
    long swiotlb = swiotlbBytes(ram);
    if (swiotlb > 0) {
      alloc(swiotlb, Sizes.PAGE_SIZE, 0, FOUR_GIB, false, "swiotlb");
    }
  }

  /** Returns the pages memblock has free: calc_nr_kernel_pages(), all of it lowmem on x86-64. */
  private long freePages() {
    long pages = 0;
    for (long[] r : memblock.freeRanges()) {
      pages +=
          Math.max(
              0,
              (r[1] >>> Sizes.PAGE_SHIFT) - Sizes.alignUp(r[0], Sizes.PAGE_SIZE) / Sizes.PAGE_SIZE);
    }
    return pages;
  }

  /**
   * Models the size {@code alloc_large_system_hash()} (mm/mm_init.c; mm/page_alloc.c in 6.1) gives
   * an early hash table of 8-byte buckets (the dentry cache with scale 13, the inode cache with 14;
   * fs/dcache.c, fs/inode.c): one bucket per 2^scale bytes of {@code kernelPages} rounded up to a
   * MiB, the scale raised by one for every 4x beyond 64 GiB, at least a page, rounded up to a power
   * of two, at most 1/16 of memory. Single-node guests allocate them from memblock (HASH_EARLY).
   */
  static long hashBytes(long kernelPages, int scale, List<long[]> ram) {
    long entries = Sizes.alignUp(kernelPages, Sizes.MIB / Sizes.PAGE_SIZE);
    for (long adapt = ADAPT_SCALE_NPAGES; adapt < entries; adapt <<= 2) {
      scale++;
    }
    entries >>>= scale - Sizes.PAGE_SHIFT;
    long bucket = 8;
    if (entries * bucket < Sizes.PAGE_SIZE) {
      entries = Sizes.PAGE_SIZE / bucket;
    }
    entries = entries <= 1 ? 1 : Long.highestOneBit(entries - 1) << 1;
    long allPages = 0;
    for (long[] r : ram) {
      allPages += (r[1] - r[0]) >>> Sizes.PAGE_SHIFT;
    }
    long max = Math.min(((allPages << Sizes.PAGE_SHIFT) >>> 4) / bucket, 0x80000000L);
    return Math.min(entries, Long.highestOneBit(Math.max(1, max))) * bucket;
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
