package io.cvmsim.core.vm;

import java.util.Locale;

/** How far a guest has booted. */
public enum BootStage {
  /** The firmware handed over its memory map; no unaccepted table yet. */
  FIRMWARE,
  /** The EFI stub built the unaccepted table; no page allocator yet. */
  EFI_STUB,
  /** The kernel runs: page allocator, watermarks, userspace. */
  KERNEL;

  /** Returns the stage with this name (case-insensitive). */
  public static BootStage ofName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown bootTo '" + name + "' (use FIRMWARE, EFI_STUB or KERNEL)");
    }
  }
}
