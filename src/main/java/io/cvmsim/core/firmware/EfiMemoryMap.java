package io.cvmsim.core.firmware;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A validated UEFI memory map as the firmware hands it to the EFI stub: descriptors sorted by
 * address, none overlapping, none empty, all inside the 52-bit physical address space.
 */
public final class EfiMemoryMap {

  /** The most descriptors a map may have (real OVMF maps have a few dozen). */
  public static final int MAX_DESCRIPTORS = 4096;

  private final List<EfiMemoryDescriptor> descriptors;

  private EfiMemoryMap(List<EfiMemoryDescriptor> descriptors) {
    this.descriptors = Collections.unmodifiableList(new ArrayList<>(descriptors));
  }

  /**
   * Returns the map of these descriptors after checking them.
   *
   * @throws SimulatorException (422) naming the first descriptor that is unaligned, empty, out of
   *     range, unsorted or overlapping its predecessor
   */
  public static EfiMemoryMap of(List<EfiMemoryDescriptor> descriptors) {
    if (descriptors == null || descriptors.isEmpty()) {
      throw SimulatorException.unprocessable("efiMemoryMap", "the memory map has no descriptors");
    }
    if (descriptors.size() > MAX_DESCRIPTORS) {
      throw SimulatorException.tooLarge(
          "efiMemoryMap",
          "the memory map has " + descriptors.size() + " descriptors; at most " + MAX_DESCRIPTORS);
    }
    long prevEnd = 0;
    for (int i = 0; i < descriptors.size(); i++) {
      EfiMemoryDescriptor d = descriptors.get(i);
      String at = "efiMemoryMap[" + i + "]";
      if (d == null || d.type() == null) {
        throw SimulatorException.unprocessable(at + ".type", at + " has no type");
      }
      if (d.physStart() < 0 || !Sizes.isAligned(d.physStart(), Sizes.PAGE_SIZE)) {
        throw SimulatorException.unprocessable(
            at + ".physStart",
            at + " (" + d.type() + "): physStart " + hex(d.physStart()) + " is not 4 KiB aligned");
      }
      if (d.pages() <= 0) {
        throw SimulatorException.unprocessable(
            at + ".pages", at + " (" + d.type() + " at " + hex(d.physStart()) + ") has no pages");
      }
      if (d.physStart() >= Sizes.MAX_PHYS_ADDR
          || d.pages() > (Sizes.MAX_PHYS_ADDR - d.physStart()) / Sizes.PAGE_SIZE) {
        throw SimulatorException.unprocessable(
            at + ".pages",
            at
                + " ("
                + d.type()
                + " at "
                + hex(d.physStart())
                + ", "
                + d.pages()
                + " pages) ends beyond the 52-bit physical address space");
      }
      if (i > 0) {
        EfiMemoryDescriptor p = descriptors.get(i - 1);
        if (d.physStart() < p.physStart()) {
          throw SimulatorException.unprocessable(
              at + ".physStart",
              at
                  + " at "
                  + hex(d.physStart())
                  + " is below efiMemoryMap["
                  + (i - 1)
                  + "] at "
                  + hex(p.physStart())
                  + ": descriptors must be sorted by physStart");
        }
        if (d.physStart() < prevEnd) {
          throw SimulatorException.unprocessable(
              at + ".physStart",
              at
                  + " ["
                  + hex(d.physStart())
                  + ", "
                  + hex(d.end())
                  + ") overlaps efiMemoryMap["
                  + (i - 1)
                  + "] ["
                  + hex(p.physStart())
                  + ", "
                  + hex(p.end())
                  + ")");
        }
      }
      prevEnd = d.end();
    }
    return new EfiMemoryMap(descriptors);
  }

  /** Returns the descriptors, sorted by address. */
  public List<EfiMemoryDescriptor> descriptors() {
    return descriptors;
  }

  /** Returns whether any descriptor is EFI_UNACCEPTED_MEMORY. */
  public boolean hasUnaccepted() {
    for (EfiMemoryDescriptor d : descriptors) {
      if (d.type() == EfiMemoryType.UNACCEPTED) {
        return true;
      }
    }
    return false;
  }

  /** Returns the bytes of E820 RAM (what the kernel may use, unaccepted memory included). */
  public long usableRamBytes() {
    long sum = 0;
    for (EfiMemoryDescriptor d : descriptors) {
      if (d.type().isUsableRam()) {
        sum += d.bytes();
      }
    }
    return sum;
  }

  /** Returns the bytes of descriptors of one type. */
  public long bytesOf(EfiMemoryType type) {
    long sum = 0;
    for (EfiMemoryDescriptor d : descriptors) {
      if (d.type() == type) {
        sum += d.bytes();
      }
    }
    return sum;
  }

  /** Returns the address after the highest descriptor. */
  public long end() {
    return descriptors.get(descriptors.size() - 1).end();
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
