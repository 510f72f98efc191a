package io.cvmsim.core.stats;

/**
 * The page cache, the LRU lists and reclaim at one moment: what /proc/meminfo and /proc/vmstat
 * print about them. Immutable once built (arrays are not shared with the live structures).
 *
 * @param lruPages pages on the LRU lists, indexed as {@code enum lru_list}: inactive anon, active
 *     anon, inactive file, active file
 * @param untrackedMovablePages movable pages allocated outside the page cache and anonymous
 *     mappings (the API's allocations, replayed traces), shown as active anonymous memory
 * @param filePages NR_FILE_PAGES: page cache, tmpfs included
 * @param shmemPages NR_SHMEM: tmpfs pages
 * @param anonPages NR_ANON_MAPPED: anonymous pages on the LRU lists
 * @param dirtyPages NR_FILE_DIRTY
 * @param writebackPages NR_WRITEBACK
 * @param dirtyThreshold the dirty pages at which writers are throttled (vm.dirty_ratio)
 * @param backgroundThreshold the dirty pages at which background writeback starts
 * @param events reclaim's event counters, indexed by {@link ReclaimEvent}
 * @param allocstall direct reclaims by the highest zone they reclaimed for (allocstall_ZONE)
 */
public record ReclaimStats(
    long[] lruPages,
    long untrackedMovablePages,
    long filePages,
    long shmemPages,
    long anonPages,
    long dirtyPages,
    long writebackPages,
    long dirtyThreshold,
    long backgroundThreshold,
    long[] events,
    long[] allocstall) {

  /** Returns the pages on the inactive anon list. */
  public long inactiveAnon() {
    return lruPages[0];
  }

  /** Returns the pages shown as active anon: the active anon list and untracked movable pages. */
  public long activeAnon() {
    return lruPages[1] + untrackedMovablePages;
  }

  /** Returns the pages on the inactive file list. */
  public long inactiveFile() {
    return lruPages[2];
  }

  /** Returns the pages on the active file list. */
  public long activeFile() {
    return lruPages[3];
  }

  /** Returns AnonPages: anonymous mappings' pages and untracked movable pages. */
  public long anonymous() {
    return anonPages + untrackedMovablePages;
  }

  /** Returns one event counter. */
  public long event(ReclaimEvent e) {
    return events[e.ordinal()];
  }
}
