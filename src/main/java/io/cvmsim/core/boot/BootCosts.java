package io.cvmsim.core.boot;

import io.cvmsim.core.memory.Sizes;

/**
 * The time and memory the boot model charges besides acceptance (which the platform's cost model
 * charges). Defaults and where they come from:
 *
 * <ul>
 *   <li>{@code firmwareFixedNanos} 30 ms, {@code stubFixedNanos} 5 ms, {@code
 *       decompressorFixedNanos} 40 ms, {@code earlyKernelFixedNanos} 30 ms, {@code
 *       userspaceFixedNanos} 20 ms: a minimal direct-boot guest (initramfs shell), the set-up of
 *       the boot-to-shell measurements in the unaccepted-memory cover letters; fitted together with
 *       {@code memmapInitNanosPerPage} so that lazy acceptance boots a 4 GiB TDX guest about 2.5×
 *       and a 64 GiB one about 4× faster (figures.md §2.1; BootTimeExperimentTest checks it).
 *   <li>{@code memmapInitNanosPerPage} 630 ns: struct page initialisation and freeing to the
 *       allocator per 4 KiB page inside a TD, where first writes to freshly accepted memmap pages
 *       and EPT faults dominate (fitted as above).
 *   <li>{@code deferredSerialFraction} 0.556: deferred init (and with accept_memory=eager the
 *       acceptance inside it) runs on all vCPUs, but accepting scales badly: ~60 s for 90 GiB on
 *       one vCPU and 40 s on four (figures.md §2.1), i.e. Amdahl with 55.6% serial.
 *   <li>{@code earlyAllocationsBase} 256 and {@code earlyAllocationsPerVcpu} 13: order-0 kernel
 *       allocations made before init_per_zone_wmark_min() sets the watermarks; with mainline's rule
 *       each of them accepts a 4 MiB chunk. Dstack-TEE/dstack#1220 saw ~13 GiB accepted in 4 MiB
 *       chunks by the boot CPU of a 248-vCPU TD during SMP bring-up, and a boot time that grew with
 *       the vCPU count, so most of them are per vCPU: 256 + 13 x 248 = 3480 chunks.
 *   <li>{@code kernelImageBytes} 48 MiB: _text to _end of a distribution kernel (20 MiB code, 14
 *       MiB rodata, 4 MiB data, 5 MiB init, 5 MiB bss), loaded at 16 MiB (CONFIG_PHYSICAL_START, no
 *       KASLR).
 *   <li>{@code percpuBytesPerVcpu} 256 KiB: the first percpu chunk's unit size ("u262144" in a
 *       distribution kernel's boot log), allocated in 2 MiB atoms.
 *   <li>{@code kernelInitBytes} 7 MiB: the part of the image the kernel frees after its initcalls,
 *       so after it computed its watermarks: free_initmem() (the init sections and the unused
 *       decrypted bss) and mark_rodata_ro() (the alignment gaps between text, rodata and data). The
 *       recorded Debian kernels free 6,868 KiB (6.12) and 8,008 KiB (6.1), dmesg's "Freeing unused
 *       ..." lines.
 *   <li>{@code initrdBytes} 0: the initramfs the boot loader loaded (none by default). memblock
 *       reserves it (reserve_initrd()) and the kernel frees it once unpacked, after the initcalls
 *       that set the watermarks (free_initrd_mem(), dmesg's "Freeing initrd memory").
 * </ul>
 */
public record BootCosts(
    long firmwareFixedNanos,
    long stubFixedNanos,
    long decompressorFixedNanos,
    long earlyKernelFixedNanos,
    long userspaceFixedNanos,
    long memmapInitNanosPerPage,
    double deferredSerialFraction,
    int earlyAllocationsBase,
    int earlyAllocationsPerVcpu,
    long kernelImageBytes,
    long percpuBytesPerVcpu,
    long kernelInitBytes,
    long initrdBytes) {

  /** The defaults documented above. */
  public static final BootCosts DEFAULTS =
      new BootCosts(
          30_000_000L,
          5_000_000L,
          40_000_000L,
          30_000_000L,
          20_000_000L,
          630,
          0.556,
          256,
          13,
          48 * Sizes.MIB,
          256 * Sizes.KIB,
          7 * Sizes.MIB,
          0);

  /** Checks the values. */
  public BootCosts {
    if (firmwareFixedNanos < 0
        || stubFixedNanos < 0
        || decompressorFixedNanos < 0
        || earlyKernelFixedNanos < 0
        || userspaceFixedNanos < 0
        || memmapInitNanosPerPage < 0) {
      throw new IllegalArgumentException("boot costs must not be negative");
    }
    if (deferredSerialFraction < 0 || deferredSerialFraction > 1) {
      throw new IllegalArgumentException("deferredSerialFraction must be within [0, 1]");
    }
    if (earlyAllocationsBase < 0 || earlyAllocationsPerVcpu < 0) {
      throw new IllegalArgumentException("early allocation counts must not be negative");
    }
    if (kernelImageBytes < Sizes.MIB || percpuBytesPerVcpu < 32 * Sizes.KIB) {
      throw new IllegalArgumentException("kernel image or percpu size too small");
    }
    if (kernelInitBytes < 0 || kernelInitBytes >= kernelImageBytes) {
      throw new IllegalArgumentException(
          "kernelInitBytes must be at least 0 and less than kernelImageBytes");
    }
    if (initrdBytes < 0) {
      throw new IllegalArgumentException("initrdBytes must not be negative");
    }
  }

  /** Returns a copy with the kernel image, its part freed after init, and the initrd given. */
  public BootCosts withImages(
      long kernelImageBytes, long percpuBytesPerVcpu, long kernelInitBytes, long initrdBytes) {
    return new BootCosts(
        firmwareFixedNanos,
        stubFixedNanos,
        decompressorFixedNanos,
        earlyKernelFixedNanos,
        userspaceFixedNanos,
        memmapInitNanosPerPage,
        deferredSerialFraction,
        earlyAllocationsBase,
        earlyAllocationsPerVcpu,
        kernelImageBytes,
        percpuBytesPerVcpu,
        kernelInitBytes,
        initrdBytes);
  }

  /** Returns the Amdahl speed-up of work spread over {@code vcpus}. */
  public double parallelSpeedup(int vcpus) {
    return 1.0 / (deferredSerialFraction + (1.0 - deferredSerialFraction) / Math.max(1, vcpus));
  }

  /** Returns the early allocations a guest with {@code vcpus} makes before watermarks exist. */
  public int earlyAllocations(int vcpus) {
    return earlyAllocationsBase + earlyAllocationsPerVcpu * vcpus;
  }
}
