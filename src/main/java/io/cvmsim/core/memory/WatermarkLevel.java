package io.cvmsim.core.memory;

import java.util.Locale;

/** Models {@code enum zone_watermarks}: the index into a zone's watermark array. */
public enum WatermarkLevel {
  MIN,
  LOW,
  HIGH,
  PROMO;

  /** Returns the lower-case name used in /proc/zoneinfo and metrics. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
