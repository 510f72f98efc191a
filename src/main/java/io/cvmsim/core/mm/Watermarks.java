package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models the watermark arithmetic of mm/page_alloc.c: {@code calculate_min_free_kbytes()}, {@code
 * __setup_per_zone_wmarks()}, {@code setup_per_zone_lowmem_reserve()} and {@code
 * calculate_totalreserve_pages()}, in the kernel's integer arithmetic.
 */
final class Watermarks {

  /** SWAP_CLUSTER_MAX, the floor of a highmem/Movable zone's min watermark. */
  static final long SWAP_CLUSTER_MAX = 32;

  private Watermarks() {}

  /** Models {@code init_per_zone_wmark_min()}. */
  static void initPerZoneWmarkMin(PageAllocator a) {
    long lowmemKbytes = nrFreeBufferPages(a) * (Sizes.PAGE_SIZE >> 10);
    long newMin = intSqrt(lowmemKbytes * 16);
    if (newMin > a.userMinFreeKbytes) {
      a.minFreeKbytes = Math.max(128, Math.min(newMin, 262144));
    }
    setupPerZoneWmarks(a);
    setupPerZoneLowmemReserve(a);
  }

  /**
   * Models {@code nr_free_buffer_pages()}: over the zones GFP_USER may use, the managed pages above
   * each zone's high watermark.
   */
  static long nrFreeBufferPages(PageAllocator a) {
    long sum = 0;
    for (int i = 0; i <= ZoneType.NORMAL.ordinal(); i++) {
      Zone z = a.zones[i];
      long high = z.wmark(WatermarkLevel.HIGH.ordinal());
      if (z.managedPages > high) {
        sum += z.managedPages - high;
      }
    }
    return sum;
  }

  /** Models {@code __setup_per_zone_wmarks()} followed by calculate_totalreserve_pages(). */
  static void setupPerZoneWmarks(PageAllocator a) {
    long pagesMin = a.minFreeKbytes >> (Sizes.PAGE_SHIFT - 10);
    long lowmemPages = 0;
    for (Zone z : a.zones) {
      if (!(a.model.lowmemReserveSkipsEmptyZones && z.type == ZoneType.MOVABLE)) {
        lowmemPages += z.managedPages;
      }
    }
    for (Zone z : a.zones) {
      long tmp = lowmemPages == 0 ? 0 : pagesMin * z.managedPages / lowmemPages;
      if (a.model.movableMinClamped && z.type == ZoneType.MOVABLE) {
        long minPages = z.managedPages / 1024;
        z.watermark[WatermarkLevel.MIN.ordinal()] =
            Math.max(SWAP_CLUSTER_MAX, Math.min(minPages, 128));
      } else {
        z.watermark[WatermarkLevel.MIN.ordinal()] = tmp;
      }
      tmp = Math.max(tmp >> 2, multFrac(z.managedPages, a.watermarkScaleFactor, 10000));
      z.watermarkBoost = 0;
      z.boosted = false;
      z.watermark[WatermarkLevel.LOW.ordinal()] = z.watermark[WatermarkLevel.MIN.ordinal()] + tmp;
      z.watermark[WatermarkLevel.HIGH.ordinal()] = z.watermark[WatermarkLevel.LOW.ordinal()] + tmp;
      z.watermark[WatermarkLevel.PROMO.ordinal()] =
          z.watermark[WatermarkLevel.HIGH.ordinal()] + tmp;
    }
    calculateTotalreservePages(a);
  }

  /** Models {@code setup_per_zone_lowmem_reserve()}. */
  static void setupPerZoneLowmemReserve(PageAllocator a) {
    Zone[] zones = a.zones;
    for (int i = 0; i < ZoneType.COUNT - 1; i++) {
      Zone z = zones[i];
      int ratio = z.type.lowmemReserveRatio();
      boolean clear = ratio == 0 || z.managedPages == 0;
      long managed = 0;
      for (int j = i + 1; j < ZoneType.COUNT; j++) {
        Zone upper = zones[j];
        managed += upper.managedPages;
        boolean empty = a.model.lowmemReserveSkipsEmptyZones && upper.managedPages == 0;
        z.lowmemReserve[j] = clear || empty ? 0 : managed / ratio;
      }
    }
    calculateTotalreservePages(a);
  }

  /** Models {@code calculate_totalreserve_pages()}. */
  static void calculateTotalreservePages(PageAllocator a) {
    long reserve = 0;
    for (int i = 0; i < ZoneType.COUNT; i++) {
      Zone z = a.zones[i];
      long max = 0;
      for (int j = i; j < ZoneType.COUNT; j++) {
        max = Math.max(max, z.lowmemReserve[j]);
      }
      max += z.wmark(WatermarkLevel.HIGH.ordinal());
      if (max > z.managedPages) {
        max = z.managedPages;
      }
      reserve += max;
    }
    a.totalReservePages = reserve;
  }

  /**
   * Models {@code set_recommended_min_free_kbytes()} (mm/khugepaged.c): two free pageblocks per
   * zone plus room for each pair of migrate types, at most 5% of lowmem.
   */
  static void setRecommendedMinFreeKbytes(PageAllocator a) {
    int nrZones = 0;
    for (int i = 0; i <= ZoneType.NORMAL.ordinal(); i++) {
      if (a.zones[i].populated()) {
        nrZones++;
      }
    }
    long recommended = (long) Sizes.PAGEBLOCK_NR_PAGES * nrZones * 2;
    recommended +=
        (long) Sizes.PAGEBLOCK_NR_PAGES * nrZones * MigrateType.PCPTYPES * MigrateType.PCPTYPES;
    recommended = Math.min(recommended, nrFreeBufferPages(a) / 20);
    recommended <<= (Sizes.PAGE_SHIFT - 10);
    if (recommended > a.minFreeKbytes) {
      a.minFreeKbytes = recommended;
    }
    setupPerZoneWmarks(a);
  }

  /** Returns {@code mult_frac(x, n, d)}: x * n / d without overflowing x * n. */
  static long multFrac(long x, long n, long d) {
    return (x / d) * n + ((x % d) * n) / d;
  }

  /** Returns {@code int_sqrt(x)}: the integer square root, rounded down. */
  static long intSqrt(long x) {
    if (x <= 0) {
      return 0;
    }
    long r = (long) Math.sqrt((double) x);
    while (r > x / r) {
      r--;
    }
    while (r + 1 <= x / (r + 1)) {
      r++;
    }
    return r;
  }
}
