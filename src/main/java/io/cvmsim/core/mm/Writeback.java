package io.cvmsim.core.mm;

/**
 * Models the dirty limits and background writeback of mm/page-writeback.c: {@code
 * global_dirtyable_memory()} (free pages above totalreserve_pages plus the file LRU), the
 * background and throttling thresholds from vm.dirty_background_ratio (10) and vm.dirty_ratio (20),
 * and {@code balance_dirty_pages_ratelimited()} after a write: past the background threshold the
 * flusher writes back the oldest dirtied mappings until the dirty pages are under it again. The
 * simulator has no disk and no clock, so writeback completes at once and the writer is never
 * throttled; dirty_expire_centisecs (writeback of pages dirty for 30 s) is not modeled.
 */
final class Writeback {

  /** vm.dirty_background_ratio. */
  static final int DIRTY_BACKGROUND_RATIO = 10;

  /** vm.dirty_ratio. */
  static final int DIRTY_RATIO = 20;

  private final PageAllocator allocator;
  private final PageCache cache;
  private final Lru lru;

  Writeback(PageAllocator allocator, PageCache cache, Lru lru) {
    this.allocator = allocator;
    this.cache = cache;
    this.lru = lru;
  }

  /** Models {@code global_dirtyable_memory()}. */
  long dirtyable() {
    long free = allocator.nrFreePages();
    free -= Math.min(free, allocator.watermarks.totalReservePages);
    return free + lru.pages(Lru.INACTIVE_FILE) + lru.pages(Lru.ACTIVE_FILE) + 1;
  }

  /** Models {@code domain_dirty_limits()}: the dirty pages at which the writer is throttled. */
  long dirtyThreshold() {
    return dirtyable() * DIRTY_RATIO / 100;
  }

  /** Models {@code domain_dirty_limits()}: the dirty pages at which background writeback starts. */
  long backgroundThreshold() {
    long available = dirtyable();
    long thresh = available * DIRTY_RATIO / 100;
    long bg = available * DIRTY_BACKGROUND_RATIO / 100;
    return bg >= thresh ? thresh / 2 : bg;
  }

  /**
   * Models {@code balance_dirty_pages_ratelimited()} with the flusher finishing at once: writes
   * back while the dirty pages exceed the background threshold.
   */
  void balanceDirtyPages() {
    if (cache.dirty == 0) {
      return;
    }
    long bg = backgroundThreshold();
    if (cache.dirty > bg) {
      cache.writebackOldest(cache.dirty - bg);
    }
  }
}
