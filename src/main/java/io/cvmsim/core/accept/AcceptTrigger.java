package io.cvmsim.core.accept;

import java.util.Locale;

/** Why memory was accepted; the {@code trigger} tag of the accepted-bytes metric. */
public enum AcceptTrigger {
  /** The firmware accepted memory it used or was told to pre-accept. */
  FIRMWARE,
  /** The EFI stub accepted a piece it could not record in the bitmap. */
  STUB,
  /** memblock allocations and the hand-over of memory too small to park. */
  MEMBLOCK,
  /** The page allocator accepted a parked chunk on demand. */
  ALLOCATOR,
  /** {@code accept_memory=eager}: everything accepted while handing memory to the allocator. */
  EAGER,
  /** An explicit {@code accept_memory()} call through the API. */
  EXPLICIT;

  /** Returns the lower-case name used in metrics and JSON. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
