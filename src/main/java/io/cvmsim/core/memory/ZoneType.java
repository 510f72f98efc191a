package io.cvmsim.core.memory;

/**
 * Models {@code enum zone_type} of x86-64 (CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32, CONFIG_ZONE_DEVICE):
 * DMA below 16 MiB, DMA32 below 4 GiB, Normal above. Movable and Device exist but are never
 * populated by the simulator (no kernelcore=/movablecore=).
 */
public enum ZoneType {
  DMA("DMA", 0, 1L << 12, 256),
  DMA32("DMA32", 1L << 12, 1L << 20, 256),
  NORMAL("Normal", 1L << 20, Long.MAX_VALUE, 32),
  MOVABLE("Movable", 0, 0, 0),
  DEVICE("Device", 0, 0, 0);

  /** MAX_NR_ZONES. */
  public static final int COUNT = 5;

  /** The zones that hold memory in the simulator (DMA, DMA32, Normal). */
  public static final int POPULATABLE = 3;

  private static final ZoneType[] VALUES = values();

  private final String procName;
  private final long lowestPfn;
  private final long endPfn;
  private final int lowmemReserveRatio;

  ZoneType(String procName, long lowestPfn, long endPfn, int lowmemReserveRatio) {
    this.procName = procName;
    this.lowestPfn = lowestPfn;
    this.endPfn = endPfn;
    this.lowmemReserveRatio = lowmemReserveRatio;
  }

  /** Returns the name the kernel prints ("DMA", "DMA32", "Normal", ...). */
  public String procName() {
    return procName;
  }

  /** Returns the first pfn this zone can hold (arch_zone_lowest_possible_pfn). */
  public long lowestPfn() {
    return lowestPfn;
  }

  /** Returns the pfn after the last one this zone can hold (MAX_DMA_PFN, MAX_DMA32_PFN, ...). */
  public long endPfn() {
    return endPfn;
  }

  /** Returns sysctl_lowmem_reserve_ratio for this zone (256, 256, 32, 0, 0). */
  public int lowmemReserveRatio() {
    return lowmemReserveRatio;
  }

  /** Returns the populatable zone that holds this pfn on x86-64. */
  public static ZoneType ofPfn(long pfn) {
    if (pfn < DMA.endPfn) {
      return DMA;
    }
    return pfn < DMA32.endPfn ? DMA32 : NORMAL;
  }

  /** Returns the zone with this index. */
  public static ZoneType of(int index) {
    return VALUES[index];
  }

  /** Returns the zone with this name (case-insensitive). */
  public static ZoneType ofName(String name) {
    for (ZoneType z : VALUES) {
      if (z.procName.equalsIgnoreCase(name) || z.name().equalsIgnoreCase(name)) {
        return z;
      }
    }
    throw new IllegalArgumentException("unknown zone '" + name + "'");
  }
}
