package io.cvmsim.core.mm;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models the hand-over of free memblock memory to the page allocator: {@code __free_pages_memory()}
 * (mm/memblock.c) cuts a free range into blocks of the largest order its alignment allows and
 * passes each to {@code __free_pages_core()} (mm/mm_init.c), which makes the pages managed and
 * frees them; a MAX_ORDER chunk that contains unaccepted memory is parked instead, a smaller block
 * is accepted at once. Runs of whole MAX_ORDER chunks are handled a stretch at a time, so a
 * terabyte of unaccepted memory costs one parked run, not a million chunks.
 */
final class MemblockFreeAll {

  private static final int MAX_ORDER = Sizes.MAX_ORDER;
  private static final long CHUNK_BYTES = Sizes.PAGE_SIZE << MAX_ORDER;

  private final Zone[] zones;
  private final UnacceptedMemory unaccepted;
  private final boolean eager;
  private final Buddy buddy;
  private final ParkedMemory parked;

  MemblockFreeAll(
      Zone[] zones, UnacceptedMemory unaccepted, boolean eager, Buddy buddy, ParkedMemory parked) {
    this.zones = zones;
    this.unaccepted = unaccepted;
    this.eager = eager;
    this.buddy = buddy;
    this.parked = parked;
  }

  /** Models {@code __free_pages_memory(start, end)} for the pfn range {@code [start, end)}. */
  void freeRange(long start, long end) {
    while (start < end) {
      int order = start == 0 ? MAX_ORDER : Math.min(MAX_ORDER, Long.numberOfTrailingZeros(start));
      while (start + (1L << order) > end) {
        order--;
      }
      if (order == MAX_ORDER) {
        long n = (end - start) >>> MAX_ORDER;
        freeChunkRun(start, n);
        start += n << MAX_ORDER;
      } else {
        freePagesCore(start, order);
        start += 1L << order;
      }
    }
  }

  /** Models {@code __free_pages_core(page, order)} for one block. */
  private void freePagesCore(long pfn, int order) {
    Zone z = zoneOf(pfn);
    z.managedPages += 1L << order;
    long phys = Sizes.phys(pfn);
    long end = phys + (Sizes.PAGE_SIZE << order);
    if (unaccepted.rangeContainsUnacceptedMemory(phys, end)) {
      if (order == MAX_ORDER && parked.park(z, pfn, 1)) {
        return;
      }
      unaccepted.acceptMemory(
          phys, end, order == MAX_ORDER && eager ? AcceptTrigger.EAGER : AcceptTrigger.MEMBLOCK);
    }
    buddy.freePages(z, pfn, order, true);
  }

  /**
   * __free_pages_core() for {@code n} consecutive MAX_ORDER chunks from {@code pfn}: stretches
   * whose chunks all contain unaccepted memory (guard unit included) are parked at once.
   */
  private void freeChunkRun(long pfn, long n) {
    long c = 0;
    while (c < n) {
      long chunk = pfn + (c << MAX_ORDER);
      long phys = Sizes.phys(chunk);
      if (eager || !unaccepted.rangeContainsUnacceptedMemory(phys, phys + CHUNK_BYTES)) {
        freePagesCore(chunk, MAX_ORDER);
        c++;
        continue;
      }
      long k = parkableStretch(phys, n - c);
      Zone z = zoneOf(chunk);
      // All chunks of a stretch lie in one zone: zone boundaries are MAX_ORDER aligned.
      k = Math.max(1, Math.min(k, (z.type.endPfn() - chunk) >>> MAX_ORDER));
      z.managedPages += k << MAX_ORDER;
      parked.park(z, chunk, k);
      c += k;
    }
  }

  /**
   * Returns how many chunks from the one at {@code phys} (which contains unaccepted memory) can be
   * parked together, at most {@code left}: every chunk that starts inside the run of unaccepted
   * units found at or after {@code phys}.
   */
  private long parkableStretch(long phys, long left) {
    long runStart = unaccepted.nextUnacceptedAtOrAbove(phys);
    long runEnd = runStart < 0 ? phys : unaccepted.unacceptedRunEnd(runStart);
    if (runEnd <= phys + CHUNK_BYTES) {
      return 1;
    }
    long k = Math.min(Math.max(1, (runEnd - phys + CHUNK_BYTES - 1) / CHUNK_BYTES), left);
    while (k > 1 && phys + (k - 1) * CHUNK_BYTES >= runEnd) {
      k--;
    }
    return k;
  }

  private Zone zoneOf(long pfn) {
    return zones[ZoneType.ofPfn(pfn).ordinal()];
  }
}
