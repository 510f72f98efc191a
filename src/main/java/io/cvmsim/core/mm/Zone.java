package io.cvmsim.core.mm;

import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models {@code struct zone}: its span, present and managed pages, the counters the watermark
 * checks read, its watermarks and lowmem reserves, and the list of parked unaccepted chunks. The
 * free lists live in {@link FreeAreas}. Mutated only by this package, under the VM lock.
 */
final class Zone {

  final ZoneType type;
  final int idx;
  long startPfn;
  long spannedPages;
  long presentPages;
  long managedPages;

  /** NR_FREE_PAGES: buddy free pages plus parked chunks. */
  long nrFreePages;

  /** NR_UNACCEPTED: pages in parked chunks. */
  long nrUnaccepted;

  /** Pages on HIGHATOMIC free lists (mainline's nr_free_highatomic). */
  long nrFreeHighatomic;

  /** Pages in pageblocks reserved as HIGHATOMIC. */
  long nrReservedHighatomic;

  /** Pages handed out by the allocator and not freed yet. */
  long allocatedPages;

  /** _watermark[] indexed by {@link WatermarkLevel}. */
  final long[] watermark = new long[WatermarkLevel.values().length];

  long watermarkBoost;

  /** ZONE_BOOSTED_WATERMARK: a fallback boosted the watermark; wake kswapd. */
  boolean boosted;

  /** ZONE_BELOW_HIGH (6.7+): the zone was found below its high watermark. */
  boolean belowHigh;

  /** ZONE_RECLAIM_ACTIVE: kswapd is reclaiming this zone. */
  boolean reclaimActive;

  final long[] lowmemReserve = new long[ZoneType.COUNT];
  final ParkedChunks parked = new ParkedChunks();

  /** The last pageblock counted when the span was built (pageblocks shared by two ranges). */
  long lastCountedPageblock = -1;

  /** PGALLOC_{zone}: pages allocated from this zone. */
  long pgalloc;

  /** The compaction fields of struct zone. */
  final ZoneCompaction compaction = new ZoneCompaction();

  Zone(ZoneType type) {
    this.type = type;
    this.idx = type.ordinal();
  }

  /** Returns wmark_pages(): the watermark plus the boost. */
  long wmark(int level) {
    return watermark[level] + watermarkBoost;
  }

  /** Returns whether the zone is in the zonelist (managed_zone()). */
  boolean managed() {
    return managedPages > 0;
  }

  /** Returns whether the zone has present pages (populated_zone()). */
  boolean populated() {
    return presentPages > 0;
  }

  boolean spans(long pfn) {
    return pfn >= startPfn && pfn < startPfn + spannedPages;
  }
}
