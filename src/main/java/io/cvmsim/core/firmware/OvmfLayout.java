package io.cvmsim.core.firmware;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the memory map an OVMF/TDVF x86 guest on QEMU q35 hands over: 640 KiB of low memory,
 * the legacy hole up to 1 MiB, RAM from 1 MiB up to the 32-bit PCI hole (2 GiB when the guest has
 * at least 2.75 GiB, else all of it; QEMU's pc_q35_init), and the rest from 4 GiB up. The first
 * {@code firmwareAcceptedBytes} of RAM (in address order) are CONVENTIONAL, the rest UNACCEPTED.
 */
public final class OvmfLayout {

  /** Low memory below the legacy VGA/BIOS hole. */
  public static final long LOW_MEMORY_END = 0xA0000;

  /** Start of RAM above the legacy hole. */
  public static final long HIGH_MEMORY_START = 0x100000;

  /** The 32-bit PCI hole starts here when the guest has at least 2.75 GiB (q35 lowmem). */
  public static final long Q35_LOWMEM_SPLIT = 0x80000000L;

  /** Guests below this size keep all RAM below 4 GiB (q35: 0xb0000000). */
  public static final long Q35_LOWMEM_LIMIT = 0xB0000000L;

  /** The start of RAM above the 32-bit hole. */
  public static final long FOUR_GIB = 1L << 32;

  /** The smallest guest the generator lays out. */
  public static final long MIN_MEMORY = 64 * Sizes.MIB;

  private OvmfLayout() {}

  /**
   * Returns the map for a guest of {@code memoryBytes} of RAM of which the firmware accepted the
   * first {@code firmwareAcceptedBytes}; with {@code lazyAccept} false every byte is CONVENTIONAL.
   */
  public static EfiMemoryMap generate(
      long memoryBytes, long firmwareAcceptedBytes, boolean lazyAccept) {
    if (memoryBytes < MIN_MEMORY) {
      throw SimulatorException.unprocessable(
          "memory", "memory must be at least " + Sizes.format(MIN_MEMORY));
    }
    if (!Sizes.isAligned(memoryBytes, Sizes.MIB)) {
      throw SimulatorException.unprocessable(
          "memory", "memory must be a multiple of 1 MiB, got " + memoryBytes + " bytes");
    }
    if (firmwareAcceptedBytes < 0 || !Sizes.isAligned(firmwareAcceptedBytes, Sizes.PAGE_SIZE)) {
      throw SimulatorException.unprocessable(
          "firmwareAcceptedBytes", "firmwareAcceptedBytes must be a multiple of 4 KiB");
    }
    if (firmwareAcceptedBytes > memoryBytes) {
      throw SimulatorException.unprocessable(
          "firmwareAcceptedBytes", "firmwareAcceptedBytes is larger than memory");
    }
    long lowmem = memoryBytes >= Q35_LOWMEM_LIMIT ? Q35_LOWMEM_SPLIT : memoryBytes;
    long high = memoryBytes - lowmem;
    // RAM ranges in address order: [0, 640K), [1M, lowmem), [4G, 4G + high)
    long[][] ram = {
      {0, LOW_MEMORY_END},
      {HIGH_MEMORY_START, lowmem},
      {FOUR_GIB, FOUR_GIB + high},
    };
    long acceptedLeft = lazyAccept ? firmwareAcceptedBytes : Long.MAX_VALUE;
    List<EfiMemoryDescriptor> out = new ArrayList<>();
    for (long[] r : ram) {
      long start = r[0];
      long end = r[1];
      if (end <= start) {
        continue;
      }
      long accepted = Math.min(acceptedLeft, end - start);
      if (accepted > 0) {
        out.add(
            new EfiMemoryDescriptor(EfiMemoryType.CONVENTIONAL, start, accepted / Sizes.PAGE_SIZE));
        acceptedLeft -= accepted;
      }
      if (start + accepted < end) {
        out.add(
            new EfiMemoryDescriptor(
                EfiMemoryType.UNACCEPTED,
                start + accepted,
                (end - start - accepted) / Sizes.PAGE_SIZE));
      }
    }
    return EfiMemoryMap.of(out);
  }
}
