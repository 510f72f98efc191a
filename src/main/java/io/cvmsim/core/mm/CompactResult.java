package io.cvmsim.core.mm;

import java.util.Locale;

/**
 * Models {@code enum compact_result} (include/linux/compaction.h) in the kernel's order, which
 * {@code try_to_compact_pages()} relies on when it keeps the highest result over the zones.
 */
enum CompactResult {
  /** Internal to compaction: the fragmentation index says the zone lacks memory. */
  NOT_SUITABLE_ZONE,
  /** Compaction did not start: too few free pages, or reclaim is more suitable. */
  SKIPPED,
  /** Compaction did not start: deferred after past failures. */
  DEFERRED,
  /** Internal to compaction: no suitable page yet. */
  NO_SUITABLE_PAGE,
  /** Compaction should go on to another pageblock. */
  CONTINUE,
  /** The whole zone was scanned without forming a suitable page. */
  COMPLETE,
  /** Part of the zone was scanned without forming a suitable page. */
  PARTIAL_SKIPPED,
  /** Compaction stopped early (lock contention, no free page to migrate to). */
  CONTENDED,
  /** The allocation should now succeed. */
  SUCCESS;

  /** Returns the name the compaction tracepoints print ("success", "partial_skipped", ...). */
  String traceName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the higher of two results (the {@code max()} of try_to_compact_pages()). */
  static CompactResult max(CompactResult a, CompactResult b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
