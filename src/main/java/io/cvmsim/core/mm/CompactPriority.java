package io.cvmsim.core.mm;

/**
 * Models {@code enum compact_priority} (include/linux/compaction.h): how hard direct compaction
 * tries, from the cheapest ({@link #ASYNC}, the first attempt, {@code INIT_COMPACT_PRIORITY}) to
 * {@link #SYNC_FULL} (whole zone, skip hints and block suitability ignored). Lower ordinal means
 * higher priority, as in the kernel.
 */
enum CompactPriority {
  /** COMPACT_PRIO_SYNC_FULL, MIN_COMPACT_PRIORITY. */
  SYNC_FULL,
  /** COMPACT_PRIO_SYNC_LIGHT: MIN_COMPACT_COSTLY_PRIORITY and DEF_COMPACT_PRIORITY. */
  SYNC_LIGHT,
  /** COMPACT_PRIO_ASYNC: INIT_COMPACT_PRIORITY. */
  ASYNC;

  /** Returns the migrate mode {@code compact_zone_order()} uses at this priority. */
  MigrateMode mode() {
    return this == ASYNC ? MigrateMode.ASYNC : MigrateMode.SYNC_LIGHT;
  }
}
