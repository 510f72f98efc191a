package io.cvmsim.core.firmware;

import java.util.Arrays;
import java.util.Locale;

/**
 * The UEFI memory types 0–15 (UEFI spec 2.10, table 7.10; EFI_UNACCEPTED_MEMORY = 15), and how the
 * x86 EFI stub's setup_e820() turns each into an E820 type.
 */
public enum EfiMemoryType {
  RESERVED(E820.RESERVED),
  LOADER_CODE(E820.RAM),
  LOADER_DATA(E820.RAM),
  BOOT_SERVICES_CODE(E820.RAM),
  BOOT_SERVICES_DATA(E820.RAM),
  RUNTIME_SERVICES_CODE(E820.RESERVED),
  RUNTIME_SERVICES_DATA(E820.RESERVED),
  CONVENTIONAL(E820.RAM),
  UNUSABLE(E820.UNUSABLE),
  ACPI_RECLAIM(E820.ACPI),
  ACPI_NVS(E820.NVS),
  MMIO(E820.RESERVED),
  MMIO_PORT(E820.RESERVED),
  PAL_CODE(E820.RESERVED),
  PERSISTENT(E820.PMEM),
  UNACCEPTED(E820.RAM);

  /** The E820 types the stub produces. */
  public enum E820 {
    RAM,
    RESERVED,
    ACPI,
    NVS,
    UNUSABLE,
    PMEM
  }

  private static final EfiMemoryType[] VALUES = values();

  private final E820 e820;

  EfiMemoryType(E820 e820) {
    this.e820 = e820;
  }

  /** Returns the UEFI number of this type (0–15). */
  public int number() {
    return ordinal();
  }

  /** Returns the E820 type setup_e820() gives it. */
  public E820 e820() {
    return e820;
  }

  /** Returns whether the kernel can use this memory as RAM after boot (E820 RAM). */
  public boolean isUsableRam() {
    return e820 == E820.RAM;
  }

  /**
   * Returns whether the firmware had to accept this memory before handing over: everything backed
   * by guest-private RAM that is not UNACCEPTED (RAM, ACPI tables and NVS, runtime services).
   */
  public boolean isAcceptedByFirmware() {
    return this != UNACCEPTED
        && this != RESERVED
        && this != MMIO
        && this != MMIO_PORT
        && this != PAL_CODE
        && this != UNUSABLE
        && this != PERSISTENT;
  }

  /** Returns the type with this UEFI number. */
  public static EfiMemoryType ofNumber(int number) {
    if (number < 0 || number >= VALUES.length) {
      throw new IllegalArgumentException("unknown UEFI memory type " + number + " (0-15)");
    }
    return VALUES[number];
  }

  /** Returns the type with this name (case-insensitive; "EfiConventionalMemory" style too). */
  public static EfiMemoryType ofName(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "_");
    for (EfiMemoryType t : VALUES) {
      if (t.name().equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown UEFI memory type '" + name + "' (use one of " + Arrays.toString(VALUES) + ")");
  }
}
