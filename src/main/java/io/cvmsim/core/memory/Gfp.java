package io.cvmsim.core.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A GFP mask: the {@code __GFP_*} bits of include/linux/gfp_types.h (x86-64) that decide where and
 * how a page allocation may be served — the highest zone (gfp_zone()), the migrate type
 * (gfp_migratetype()), the reclaim and reserve bits that shape the alloc flags. The masks the API
 * names are constants here ({@link #ofName}); the masks a kernel trace prints, such as {@code
 * GFP_HIGHUSER_MOVABLE|__GFP_COMP}, are read by {@link #parse}. A value type: equal bits, equal
 * mask.
 */
public final class Gfp {

  // __GFP_* bits, numbered as in include/linux/gfp_types.h
  static final int DMA = 1;
  static final int HIGHMEM = 1 << 1;
  static final int DMA32 = 1 << 2;
  static final int MOVABLE = 1 << 3;
  static final int RECLAIMABLE = 1 << 4;
  static final int HIGH = 1 << 5;
  static final int IO = 1 << 6;
  static final int FS = 1 << 7;
  static final int ZERO = 1 << 8;
  static final int DIRECT_RECLAIM = 1 << 10;
  static final int KSWAPD_RECLAIM = 1 << 11;
  static final int WRITE = 1 << 12;
  static final int NOWARN = 1 << 13;
  static final int RETRY_MAYFAIL = 1 << 14;
  static final int NOFAIL = 1 << 15;
  static final int NORETRY = 1 << 16;
  static final int MEMALLOC = 1 << 17;
  static final int COMP = 1 << 18;
  static final int NOMEMALLOC = 1 << 19;
  static final int HARDWALL = 1 << 20;
  static final int THISNODE = 1 << 21;
  static final int ACCOUNT = 1 << 22;
  static final int RECLAIM = DIRECT_RECLAIM | KSWAPD_RECLAIM;

  private static final Map<String, Integer> BITS = new LinkedHashMap<>();
  private static final Map<String, Gfp> NAMED = new LinkedHashMap<>();

  static {
    String[] names = {
      "DMA",
      "HIGHMEM",
      "DMA32",
      "MOVABLE",
      "RECLAIMABLE",
      "HIGH",
      "IO",
      "FS",
      "ZERO",
      "",
      "DIRECT_RECLAIM",
      "KSWAPD_RECLAIM",
      "WRITE",
      "NOWARN",
      "RETRY_MAYFAIL",
      "NOFAIL",
      "NORETRY",
      "MEMALLOC",
      "COMP",
      "NOMEMALLOC",
      "HARDWALL",
      "THISNODE",
      "ACCOUNT"
    };
    for (int i = 0; i < names.length; i++) {
      if (!names[i].isEmpty()) {
        BITS.put("__GFP_" + names[i], 1 << i);
      }
    }
    BITS.put("__GFP_RECLAIM", RECLAIM);
    // composite masks a trace prints that the API does not name
    BITS.put("GFP_KERNEL_ACCOUNT", RECLAIM | IO | FS | ACCOUNT);
  }

  /** GFP_KERNEL: may sleep, reclaim, do I/O; Normal zone, unmovable. */
  public static final Gfp GFP_KERNEL = named("GFP_KERNEL", RECLAIM | IO | FS);

  /** GFP_NOIO. */
  public static final Gfp GFP_NOIO = named("GFP_NOIO", RECLAIM);

  /** GFP_NOFS. */
  public static final Gfp GFP_NOFS = named("GFP_NOFS", RECLAIM | IO);

  /** GFP_USER: user pages the kernel may access directly. */
  public static final Gfp GFP_USER = named("GFP_USER", RECLAIM | IO | FS | HARDWALL);

  /** GFP_HIGHUSER: as GFP_USER, from highmem (Normal on x86-64). */
  public static final Gfp GFP_HIGHUSER =
      named("GFP_HIGHUSER", RECLAIM | IO | FS | HARDWALL | HIGHMEM);

  /** GFP_HIGHUSER_MOVABLE: user pages the kernel never maps, movable (anonymous, page cache). */
  public static final Gfp GFP_HIGHUSER_MOVABLE =
      named("GFP_HIGHUSER_MOVABLE", RECLAIM | IO | FS | HARDWALL | HIGHMEM | MOVABLE);

  /** GFP_KERNEL | __GFP_RECLAIMABLE: reclaimable kernel objects (dentries, inodes). */
  public static final Gfp GFP_KERNEL_RECLAIMABLE =
      named("GFP_KERNEL_RECLAIMABLE", RECLAIM | IO | FS | RECLAIMABLE);

  /** GFP_DMA: GFP_KERNEL from ZONE_DMA. */
  public static final Gfp GFP_DMA = named("GFP_DMA", RECLAIM | IO | FS | DMA);

  /** GFP_DMA32: GFP_KERNEL from ZONE_DMA32. */
  public static final Gfp GFP_DMA32 = named("GFP_DMA32", RECLAIM | IO | FS | DMA32);

  /** GFP_ATOMIC: may not sleep, may use reserves, wakes kswapd. */
  public static final Gfp GFP_ATOMIC = named("GFP_ATOMIC", HIGH | KSWAPD_RECLAIM);

  /** GFP_NOWAIT: may not sleep, wakes kswapd. */
  public static final Gfp GFP_NOWAIT = named("GFP_NOWAIT", KSWAPD_RECLAIM);

  /** GFP_TRANSHUGE_LIGHT: a THP attempt that neither reclaims nor compacts. */
  public static final Gfp GFP_TRANSHUGE_LIGHT =
      named(
          "GFP_TRANSHUGE_LIGHT",
          IO | FS | HARDWALL | HIGHMEM | MOVABLE | COMP | NOMEMALLOC | NOWARN);

  /** GFP_TRANSHUGE: a THP attempt that may reclaim and compact directly. */
  public static final Gfp GFP_TRANSHUGE =
      named(
          "GFP_TRANSHUGE",
          IO | FS | HARDWALL | HIGHMEM | MOVABLE | COMP | NOMEMALLOC | NOWARN | DIRECT_RECLAIM);

  private final int bits;
  private final String name;

  private Gfp(int bits, String name) {
    this.bits = bits;
    this.name = name;
  }

  private static Gfp named(String name, int bits) {
    Gfp g = new Gfp(bits, name);
    NAMED.put(name, g);
    BITS.put(name, bits);
    return g;
  }

  /** Returns the mask of these __GFP bits. */
  public static Gfp ofBits(int bits) {
    for (Gfp g : NAMED.values()) {
      if (g.bits == bits) {
        return g;
      }
    }
    return new Gfp(bits, null);
  }

  /** Returns the masks the API names, in the order above. */
  public static List<Gfp> named() {
    return List.copyOf(NAMED.values());
  }

  /**
   * Returns the named mask (case-insensitive; "GFP_" may be omitted): the API's masks.
   *
   * @throws IllegalArgumentException naming the masks there are
   */
  public static Gfp ofName(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (!n.startsWith("GFP_")) {
      n = "GFP_" + n;
    }
    Gfp g = NAMED.get(n);
    if (g == null) {
      throw new IllegalArgumentException(
          "unknown gfp '" + name + "' (use one of " + String.join(", ", NAMED.keySet()) + ")");
    }
    return g;
  }

  /**
   * Returns the mask a kernel trace prints ({@code show_gfp_flags()}): names joined by '|', each a
   * GFP_* mask or a __GFP_* bit, or "none"/"0x0" for no bits. __GFP_* bits that do not change how
   * the page allocator serves a request (__GFP_SKIP_KASAN, __GFP_NOLOCKDEP, ...) are ignored.
   *
   * @throws IllegalArgumentException naming a part that is neither a known mask nor a __GFP_ bit
   */
  public static Gfp parse(String printed) {
    String p = printed.trim();
    if (p.equals("none") || p.equals("0x0") || p.isEmpty()) {
      return ofBits(0);
    }
    int bits = 0;
    for (String part : p.split("\\|")) {
      String t = part.trim();
      Integer b = BITS.get(t);
      if (b != null) {
        bits |= b;
      } else if (!t.startsWith("__GFP_")) {
        throw new IllegalArgumentException("unknown gfp flag '" + part + "' in '" + printed + "'");
      }
    }
    return ofBits(bits);
  }

  /** Returns the __GFP bits. */
  public int bits() {
    return bits;
  }

  /**
   * Returns gfp_zone() on x86-64: DMA, DMA32, Movable for __GFP_HIGHMEM|__GFP_MOVABLE, otherwise
   * Normal (there is no highmem).
   */
  public ZoneType highestZone() {
    if ((bits & DMA) != 0) {
      return ZoneType.DMA;
    }
    if ((bits & DMA32) != 0) {
      return ZoneType.DMA32;
    }
    if ((bits & (HIGHMEM | MOVABLE)) == (HIGHMEM | MOVABLE)) {
      return ZoneType.MOVABLE;
    }
    return ZoneType.NORMAL;
  }

  /** Returns gfp_migratetype(). */
  public MigrateType migrateType() {
    if ((bits & MOVABLE) != 0) {
      return MigrateType.MOVABLE;
    }
    return (bits & RECLAIMABLE) != 0 ? MigrateType.RECLAIMABLE : MigrateType.UNMOVABLE;
  }

  /** Returns whether the caller may sleep and reclaim (__GFP_DIRECT_RECLAIM). */
  public boolean canDirectReclaim() {
    return (bits & DIRECT_RECLAIM) != 0;
  }

  /** Returns whether the caller may wake kswapd (__GFP_KSWAPD_RECLAIM). */
  public boolean kswapd() {
    return (bits & KSWAPD_RECLAIM) != 0;
  }

  /** Returns whether the caller is high priority (__GFP_HIGH). */
  public boolean high() {
    return (bits & HIGH) != 0;
  }

  /** Returns whether the caller may not use memory reserves (__GFP_NOMEMALLOC). */
  public boolean noMemalloc() {
    return (bits & NOMEMALLOC) != 0;
  }

  /** Returns whether the caller gives up early rather than retrying hard (__GFP_NORETRY). */
  public boolean noRetry() {
    return (bits & NORETRY) != 0;
  }

  /** Returns whether the caller may start I/O (__GFP_IO): without it, no direct compaction. */
  public boolean io() {
    return (bits & IO) != 0;
  }

  /** Returns whether the block is a compound page (__GFP_COMP). */
  public boolean compound() {
    return (bits & COMP) != 0;
  }

  /** Returns whether the caller wants memory reserves (__GFP_MEMALLOC). */
  public boolean memalloc() {
    return (bits & MEMALLOC) != 0;
  }

  /** Returns whether the caller retries hard but accepts failure (__GFP_RETRY_MAYFAIL). */
  public boolean retryMayfail() {
    return (bits & RETRY_MAYFAIL) != 0;
  }

  /** Returns whether the caller may do filesystem I/O to reclaim (__GFP_FS). */
  public boolean fs() {
    return (bits & FS) != 0;
  }

  /** Returns the mask as the kernel prints it: its name, or its names joined by '|'. */
  @Override
  public String toString() {
    if (name != null) {
      return name;
    }
    if (bits == 0) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    int rest = bits;
    for (Map.Entry<String, Integer> e : BITS.entrySet()) {
      int b = e.getValue();
      if (e.getKey().startsWith("__GFP_") && Integer.bitCount(b) == 1 && (rest & b) != 0) {
        parts.add(e.getKey());
        rest &= ~b;
      }
    }
    return String.join("|", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Gfp g && g.bits == bits;
  }

  @Override
  public int hashCode() {
    return bits;
  }
}
