package io.cvmsim.core.firmware;

import io.cvmsim.core.memory.Sizes;

/**
 * Models the x86 EFI stub's handling of unaccepted memory
 * (drivers/firmware/efi/libstub/unaccepted_memory.c): {@code allocate_unaccepted_bitmap()} sizes
 * the table from the lowest and highest EFI_UNACCEPTED_MEMORY descriptor, and {@code
 * process_unaccepted_memory()} records each descriptor in the bitmap, accepting at once every piece
 * it cannot record.
 */
public final class EfiStub {

  /** Receives the stub's immediate acceptances: {@code arch_accept_memory(start, end)}. */
  @FunctionalInterface
  public interface StubAcceptor {
    /** Accepts {@code [start, end)} now. */
    void accept(long start, long end);
  }

  private EfiStub() {}

  /**
   * Returns the bitmap length in bytes the stub would allocate for this map, or -1 if the map has
   * no unaccepted memory (so no table). Lets callers enforce a limit before anything is allocated.
   */
  public static long bitmapBytes(EfiMemoryMap map, long unitSize) {
    long ustart = Long.MAX_VALUE;
    long uend = 0;
    for (EfiMemoryDescriptor d : map.descriptors()) {
      if (d.type() == EfiMemoryType.UNACCEPTED) {
        ustart = Math.min(ustart, d.physStart());
        uend = Math.max(uend, d.end());
      }
    }
    if (uend == 0) {
      return -1;
    }
    ustart = Sizes.alignDown(ustart, unitSize);
    uend = Sizes.alignUp(uend, unitSize);
    long bitsPerByte = unitSize * 8;
    return (uend - ustart + bitsPerByte - 1) / bitsPerByte;
  }

  /**
   * Runs allocate_unaccepted_bitmap() and then process_unaccepted_memory() for every
   * EFI_UNACCEPTED_MEMORY descriptor in map order (as setup_e820() does), and returns the table, or
   * null when the map has no unaccepted memory.
   */
  public static UnacceptedTable install(EfiMemoryMap map, long unitSize, StubAcceptor acceptor) {
    long size = bitmapBytes(map, unitSize);
    if (size < 0) {
      return null;
    }
    long ustart = Long.MAX_VALUE;
    for (EfiMemoryDescriptor d : map.descriptors()) {
      if (d.type() == EfiMemoryType.UNACCEPTED) {
        ustart = Math.min(ustart, d.physStart());
      }
    }
    UnacceptedTable table = new UnacceptedTable(unitSize, Sizes.alignDown(ustart, unitSize), size);
    for (EfiMemoryDescriptor d : map.descriptors()) {
      if (d.type() == EfiMemoryType.UNACCEPTED) {
        processUnacceptedMemory(table, d.physStart(), d.end(), acceptor);
      }
    }
    return table;
  }

  /**
   * Models {@code process_unaccepted_memory(start, end)}: ranges under two units are accepted
   * whole; otherwise an unaligned head and tail are accepted, anything below {@code phys_base} or
   * beyond the bitmap's capacity is accepted, and the aligned remainder is marked in the bitmap.
   */
  public static void processUnacceptedMemory(
      UnacceptedTable table, long start, long end, StubAcceptor acceptor) {
    long unit = table.unitSize();
    long base = table.physBase();
    long cap = table.capacityBytes();
    // Ensure that at least one bit will be set in the bitmap by immediately accepting all
    // memory below the next unit boundary when the range is shorter than two units.
    if (end - start < 2 * unit) {
      acceptor.accept(start, end);
      return;
    }
    if (!Sizes.isAligned(start, unit)) {
      acceptor.accept(start, Sizes.alignUp(start, unit));
      start = Sizes.alignUp(start, unit);
    }
    if (!Sizes.isAligned(end, unit)) {
      acceptor.accept(Sizes.alignDown(end, unit), end);
      end = Sizes.alignDown(end, unit);
    }
    if (start < base) {
      acceptor.accept(start, Math.min(base, end));
      start = base;
    }
    if (end < base) {
      return;
    }
    start -= base;
    end -= base;
    if (end > cap) {
      acceptor.accept(base + cap, base + end);
      end = cap;
    }
    if (end > start) {
      table.bitmap().set(start / unit, start / unit + (end - start) / unit);
    }
  }
}
