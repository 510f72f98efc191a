package io.cvmsim.core.stats;

import java.util.List;

/**
 * What differs between kernels in the text of /proc/meminfo, /proc/vmstat and /proc/zoneinfo, as
 * data: the zone counters in print order, and the lines one kernel has and another has not.
 */
public enum ProcDialect {
  /** Linux 6.1: no nr_unaccepted counter, no Unaccepted line. */
  LINUX_6_1(
      List.of(
          "nr_free_pages",
          "nr_zone_inactive_anon",
          "nr_zone_active_anon",
          "nr_zone_inactive_file",
          "nr_zone_active_file",
          "nr_zone_unevictable",
          "nr_zone_write_pending",
          "nr_mlock",
          "nr_bounce",
          "nr_zspages",
          "nr_free_cma"),
      false,
      false,
      false),
  /** Linux 6.5: nr_unaccepted and the Unaccepted line. */
  LINUX_6_5(
      List.of(
          "nr_free_pages",
          "nr_zone_inactive_anon",
          "nr_zone_active_anon",
          "nr_zone_inactive_file",
          "nr_zone_active_file",
          "nr_zone_unevictable",
          "nr_zone_write_pending",
          "nr_mlock",
          "nr_bounce",
          "nr_zspages",
          "nr_free_cma",
          "nr_unaccepted"),
      true,
      false,
      false),
  /** Mainline: nr_free_pages_blocks, no nr_bounce, a promo watermark line and a Balloon line. */
  MAINLINE(
      List.of(
          "nr_free_pages",
          "nr_free_pages_blocks",
          "nr_zone_inactive_anon",
          "nr_zone_active_anon",
          "nr_zone_inactive_file",
          "nr_zone_active_file",
          "nr_zone_unevictable",
          "nr_zone_write_pending",
          "nr_mlock",
          "nr_zspages",
          "nr_free_cma",
          "nr_unaccepted"),
      true,
      true,
      true);

  private final List<String> zoneStats;
  private final boolean unacceptedLine;
  private final boolean balloonLine;
  private final boolean promoLine;

  ProcDialect(
      List<String> zoneStats, boolean unacceptedLine, boolean balloonLine, boolean promoLine) {
    this.zoneStats = zoneStats;
    this.unacceptedLine = unacceptedLine;
    this.balloonLine = balloonLine;
    this.promoLine = promoLine;
  }

  /** Returns the zone counters (enum zone_stat_item) in print order. */
  public List<String> zoneStats() {
    return zoneStats;
  }

  /** Returns whether /proc/meminfo has an "Unaccepted:" line. */
  public boolean unacceptedLine() {
    return unacceptedLine;
  }

  /** Returns whether /proc/meminfo has a "Balloon:" line. */
  public boolean balloonLine() {
    return balloonLine;
  }

  /** Returns whether /proc/zoneinfo prints the promo watermark. */
  public boolean promoLine() {
    return promoLine;
  }
}
