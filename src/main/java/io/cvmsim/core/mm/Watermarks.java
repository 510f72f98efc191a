package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models the watermark arithmetic of mm/page_alloc.c: {@code calculate_min_free_kbytes()}, {@code
 * __setup_per_zone_wmarks()}, {@code setup_per_zone_lowmem_reserve()}, {@code
 * calculate_totalreserve_pages()} and {@code boost_watermark()}, and khugepaged's {@code
 * set_recommended_min_free_kbytes()}, in the kernel's integer arithmetic. Where kernels differ it
 * asks their {@link KernelRules}.
 */
final class Watermarks {

  private static final int MIN = WatermarkLevel.MIN.ordinal();
  private static final int LOW = WatermarkLevel.LOW.ordinal();
  private static final int HIGH = WatermarkLevel.HIGH.ordinal();
  private static final int PROMO = WatermarkLevel.PROMO.ordinal();

  private final Zone[] zones;
  private final Sysctls sysctls;
  private final KernelRules rules;

  /** totalreserve_pages, after the last calculation. */
  long totalReservePages;

  Watermarks(Zone[] zones, Sysctls sysctls, KernelRules rules) {
    this.zones = zones;
    this.sysctls = sysctls;
    this.rules = rules;
  }

  /** Models {@code init_per_zone_wmark_min()}. */
  void initPerZoneWmarkMin() {
    long lowmemKbytes = nrFreeBufferPages() * (Sizes.PAGE_SIZE >> 10);
    long newMin = intSqrt(lowmemKbytes * 16);
    if (newMin > sysctls.userMinFreeKbytes) {
      sysctls.minFreeKbytes = Math.max(128, Math.min(newMin, 262144));
    }
    setupPerZoneWmarks();
    setupPerZoneLowmemReserve();
  }

  /**
   * Models {@code nr_free_buffer_pages()}: over the zones GFP_USER may use, the managed pages above
   * each zone's high watermark.
   */
  long nrFreeBufferPages() {
    long sum = 0;
    for (int i = 0; i <= ZoneType.NORMAL.ordinal(); i++) {
      Zone z = zones[i];
      long high = z.wmark(HIGH);
      if (z.managedPages > high) {
        sum += z.managedPages - high;
      }
    }
    return sum;
  }

  /** Models {@code __setup_per_zone_wmarks()} followed by calculate_totalreserve_pages(). */
  void setupPerZoneWmarks() {
    long pagesMin = sysctls.minFreeKbytes >> (Sizes.PAGE_SHIFT - 10);
    long lowmemPages = 0;
    for (Zone z : zones) {
      if (rules.countsInLowmemPages(z.type)) {
        lowmemPages += z.managedPages;
      }
    }
    for (Zone z : zones) {
      long tmp = lowmemPages == 0 ? 0 : pagesMin * z.managedPages / lowmemPages;
      z.watermark[MIN] = rules.minWatermark(z.type, z.managedPages, tmp);
      tmp = Math.max(tmp >> 2, multFrac(z.managedPages, sysctls.watermarkScaleFactor, 10000));
      z.watermarkBoost = 0;
      z.boosted = false;
      z.watermark[LOW] = z.watermark[MIN] + tmp;
      z.watermark[HIGH] = z.watermark[LOW] + tmp;
      z.watermark[PROMO] = z.watermark[HIGH] + tmp;
    }
    calculateTotalreservePages();
  }

  /** Models {@code setup_per_zone_lowmem_reserve()}. */
  void setupPerZoneLowmemReserve() {
    for (int i = 0; i < ZoneType.COUNT - 1; i++) {
      Zone z = zones[i];
      int ratio = z.type.lowmemReserveRatio();
      long sum = 0;
      for (int j = i + 1; j < ZoneType.COUNT; j++) {
        Zone upper = zones[j];
        sum += upper.managedPages;
        z.lowmemReserve[j] = rules.lowmemReserve(ratio, z.managedPages, upper.managedPages, sum);
      }
    }
    calculateTotalreservePages();
  }

  /** Models {@code calculate_totalreserve_pages()}. */
  private void calculateTotalreservePages() {
    long reserve = 0;
    for (int i = 0; i < ZoneType.COUNT; i++) {
      Zone z = zones[i];
      long max = 0;
      for (int j = i; j < ZoneType.COUNT; j++) {
        max = Math.max(max, z.lowmemReserve[j]);
      }
      max += z.wmark(HIGH);
      if (max > z.managedPages) {
        max = z.managedPages;
      }
      reserve += max;
    }
    totalReservePages = reserve;
  }

  /**
   * Models {@code set_recommended_min_free_kbytes()} (mm/khugepaged.c): two free pageblocks per
   * zone plus room for each pair of migrate types, at most 5% of lowmem.
   */
  void setRecommendedMinFreeKbytes() {
    int nrZones = 0;
    for (int i = 0; i <= ZoneType.NORMAL.ordinal(); i++) {
      if (zones[i].populated()) {
        nrZones++;
      }
    }
    long recommended = (long) Sizes.PAGEBLOCK_NR_PAGES * nrZones * 2;
    recommended +=
        (long) Sizes.PAGEBLOCK_NR_PAGES * nrZones * MigrateType.PCPTYPES * MigrateType.PCPTYPES;
    recommended = Math.min(recommended, nrFreeBufferPages() / 20);
    recommended <<= (Sizes.PAGE_SHIFT - 10);
    if (recommended > sysctls.minFreeKbytes) {
      sysctls.minFreeKbytes = recommended;
    }
    setupPerZoneWmarks();
  }

  /**
   * Models {@code boost_watermark()}: raises the zone's boost by a pageblock, up to {@code factor}
   * / 10000 of its high watermark; returns whether it did.
   */
  static boolean boost(Zone z, int factor) {
    if (factor == 0 || (long) Sizes.PAGEBLOCK_NR_PAGES * 4 > z.managedPages) {
      return false;
    }
    long maxBoost = multFrac(z.watermark[HIGH], factor, 10000);
    if (maxBoost == 0) {
      return false;
    }
    maxBoost = Math.max(Sizes.PAGEBLOCK_NR_PAGES, maxBoost);
    z.watermarkBoost = Math.min(z.watermarkBoost + Sizes.PAGEBLOCK_NR_PAGES, maxBoost);
    return true;
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
