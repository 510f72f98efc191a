package io.cvmsim.core.memory;

import java.util.Arrays;
import java.util.Locale;

/**
 * The GFP masks the API accepts, with what the page allocator takes from each: the highest zone
 * (gfp_zone()), the migrate type (gfp_migratetype()), and the reclaim and reserve bits that shape
 * the alloc flags (include/linux/gfp_types.h, x86-64). A value type: the API and the workloads name
 * masks with it, the allocator reads its bits.
 */
public enum Gfp {
  GFP_KERNEL(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_NOIO(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_NOFS(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_USER(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_HIGHUSER(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_HIGHUSER_MOVABLE(ZoneType.MOVABLE, MigrateType.MOVABLE, Bits.RECLAIM),
  GFP_KERNEL_RECLAIMABLE(ZoneType.NORMAL, MigrateType.RECLAIMABLE, Bits.RECLAIM),
  GFP_DMA(ZoneType.DMA, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_DMA32(ZoneType.DMA32, MigrateType.UNMOVABLE, Bits.RECLAIM),
  GFP_ATOMIC(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.HIGH | Bits.KSWAPD),
  GFP_NOWAIT(ZoneType.NORMAL, MigrateType.UNMOVABLE, Bits.KSWAPD),
  GFP_TRANSHUGE_LIGHT(ZoneType.MOVABLE, MigrateType.MOVABLE, Bits.NOMEMALLOC),
  GFP_TRANSHUGE(ZoneType.MOVABLE, MigrateType.MOVABLE, Bits.NOMEMALLOC | Bits.DIRECT);

  /** The __GFP bits that matter to the allocator. */
  static final class Bits {
    static final int DIRECT = 1;
    static final int KSWAPD = 2;
    static final int RECLAIM = DIRECT | KSWAPD;
    static final int HIGH = 4;
    static final int NOMEMALLOC = 8;

    private Bits() {}
  }

  private static final Gfp[] VALUES = values();

  private final ZoneType highestZone;
  private final MigrateType migrateType;
  private final int bits;

  Gfp(ZoneType highestZone, MigrateType migrateType, int bits) {
    this.highestZone = highestZone;
    this.migrateType = migrateType;
    this.bits = bits;
  }

  /** Returns gfp_zone(): the highest zone the allocation may use (the zonelist starts there). */
  public ZoneType highestZone() {
    return highestZone;
  }

  /** Returns gfp_migratetype(). */
  public MigrateType migrateType() {
    return migrateType;
  }

  /** Returns whether the caller may sleep and reclaim (__GFP_DIRECT_RECLAIM). */
  public boolean canDirectReclaim() {
    return (bits & Bits.DIRECT) != 0;
  }

  /** Returns whether the caller may wake kswapd (__GFP_KSWAPD_RECLAIM). */
  public boolean kswapd() {
    return (bits & Bits.KSWAPD) != 0;
  }

  /** Returns whether the caller is high priority (__GFP_HIGH). */
  public boolean high() {
    return (bits & Bits.HIGH) != 0;
  }

  /** Returns whether the caller may not use memory reserves (__GFP_NOMEMALLOC). */
  public boolean noMemalloc() {
    return (bits & Bits.NOMEMALLOC) != 0;
  }

  /** Returns the mask with this index. */
  public static Gfp of(int index) {
    return VALUES[index];
  }

  /** Returns the mask with this name (case-insensitive; "GFP_" may be omitted). */
  public static Gfp ofName(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (!n.startsWith("GFP_")) {
      n = "GFP_" + n;
    }
    for (Gfp g : VALUES) {
      if (g.name().equals(n)) {
        return g;
      }
    }
    throw new IllegalArgumentException(
        "unknown gfp '" + name + "' (use one of " + Arrays.toString(VALUES) + ")");
  }
}
