package io.cvmsim.core.stats;

import java.util.Locale;

/**
 * What a byte of guest-physical address space is, for the memory-map view. Colours are the
 * Okabe–Ito palette, which stays distinguishable under the common forms of colour blindness.
 */
public enum MapState {
  /** Not described by the firmware's memory map. */
  HOLE("#f2f2f2", "not in the memory map"),
  /** Described, but not RAM the kernel may use (reserved, MMIO, ACPI, ...). */
  RESERVED("#999999", "firmware reserved, MMIO, ACPI"),
  /** RAM the kernel keeps for itself (memblock: kernel image, memmap, page tables, SWIOTLB). */
  KERNEL("#555555", "kernel (memblock reserved)"),
  /** RAM the guest has not accepted: the host has not had to back it. */
  UNACCEPTED("#E69F00", "unaccepted"),
  /** Parked on a zone's unaccepted list although already accepted (guard unit, explicit accept). */
  PARKED("#F0E442", "parked, already accepted"),
  /** Accepted and free. */
  FREE("#56B4E9", "accepted, free"),
  /** Allocated, unmovable. */
  UNMOVABLE("#D55E00", "allocated, unmovable"),
  /** Allocated, movable. */
  MOVABLE("#009E73", "allocated, movable"),
  /** Allocated, reclaimable. */
  RECLAIMABLE("#CC79A7", "allocated, reclaimable");

  private final String color;
  private final String description;

  MapState(String color, String description) {
    this.color = color;
    this.description = description;
  }

  /** Returns the fill colour. */
  public String color() {
    return color;
  }

  /** Returns a short description for legends. */
  public String description() {
    return description;
  }

  /** Returns the lower-case name used in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
