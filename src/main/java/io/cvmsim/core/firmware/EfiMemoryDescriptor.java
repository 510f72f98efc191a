package io.cvmsim.core.firmware;

import io.cvmsim.core.memory.Sizes;

/**
 * One UEFI memory descriptor: a type and a range of 4 KiB pages starting at {@code physStart}.
 *
 * @param type the memory type
 * @param physStart the physical address of the first byte
 * @param pages the number of 4 KiB pages
 */
public record EfiMemoryDescriptor(EfiMemoryType type, long physStart, long pages) {

  /** Returns the address after the last byte. */
  public long end() {
    return physStart + pages * Sizes.PAGE_SIZE;
  }

  /** Returns the size in bytes. */
  public long bytes() {
    return pages * Sizes.PAGE_SIZE;
  }
}
