package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models the node's compaction daemon, kcompactd (mm/compaction.c, v6.1 and v6.12 alike):
 *
 * <ul>
 *   <li>{@link #wakeup} is {@code wakeup_kcompactd()}: it records the highest order and the lowest
 *       zone index asked for and wakes kcompactd if some zone is worth compacting for that order
 *       ({@code kcompactd_node_suitable()}). {@link Kswapd} calls it after a boosted reclaim (at
 *       pageblock order) and when it goes to sleep ({@link #kswapdSleeping}); {@code
 *       wakeup_kswapd()} calls it for a caller that cannot reclaim when the node is balanced but
 *       fragmented.
 *   <li>Woken, kcompactd runs {@code kcompactd_do_work()}: every zone up to the recorded index that
 *       is not deferred, lacks a free block of the order at its min watermark and is suitable is
 *       compacted (sync light, GFP_KERNEL); a success resets the zone's deferral, a pass that did
 *       not succeed drains the per-cpu lists of the zone and defers it.
 *   <li>Every expiry of its 500 ms sleep ({@link #timeout}, HPAGE_FRAG_CHECK_INTERVAL_MSEC) it
 *       checks the node's fragmentation score and compacts proactively above the high mark
 *       (vm.compaction_proactiveness, default 20: score above 90); a proactive pass that did not
 *       lower the score makes it wait 64 times as long ({@code COMPACT_MAX_DEFER_SHIFT}).
 * </ul>
 *
 * <p>Implementation notes. kcompactd is a thread; here it runs on CPU 0 (where the recorded kernels
 * ran it) when the allocator call that woke it returns ({@link #runIfWoken}), and its timer fires
 * when a caller says half a second went by, since the simulator keeps no time of its own: workloads
 * call it at their natural pauses, the API on request.
 */
final class Kcompactd {

  /** The CPU kcompactd runs on. */
  static final int CPU = 0;

  private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();

  private final PageAllocator a;
  private final Compaction compaction;
  private final CompactionDefer defer;
  private int maxOrder;
  private int highestZoneIdx = ZoneType.COUNT - 1;
  private boolean woken;
  private boolean running;
  private int skippedTimeouts;

  Kcompactd(PageAllocator a, Compaction compaction, CompactionDefer defer) {
    this.a = a;
    this.compaction = compaction;
    this.defer = defer;
  }

  /** Models {@code wakeup_kcompactd(pgdat, order, highest_zoneidx)}. */
  void wakeup(int order, int highestZoneIdx) {
    if (order == 0 || !a.compactionEnabled()) {
      return;
    }
    if (maxOrder < order) {
      maxOrder = order;
    }
    if (this.highestZoneIdx > highestZoneIdx) {
      this.highestZoneIdx = highestZoneIdx;
    }
    if (running || woken) {
      return;
    }
    if (!nodeSuitable()) {
      return;
    }
    a.vmstat.compaction(CompactionEvent.WAKEUP_KCOMPACTD);
    woken = true;
  }

  /**
   * What {@code kswapd_try_to_sleep()} (mm/vmscan.c, v6.12 and v6.1) does for compaction when
   * {@code prepare_kswapd_sleep()} lets kswapd nap: {@code reset_isolation_suitable(pgdat)} flushes
   * the skip hints of every populated zone where a full compaction finished since the last flush,
   * then {@code wakeup_kcompactd(pgdat, alloc_order, highest_zoneidx)}.
   */
  void kswapdSleeping(int allocOrder, int highestZoneIdx) {
    if (!a.compactionEnabled()) {
      return;
    }
    for (Zone z : a.zones) {
      if (z.populated()) {
        compaction.resetIsolationSuitable(z);
      }
    }
    wakeup(allocOrder, highestZoneIdx);
  }

  /** Returns kcompactd_max_order, kcompactd_highest_zoneidx and the proactive timeouts to skip. */
  int[] pending() {
    return new int[] {maxOrder, highestZoneIdx, skippedTimeouts};
  }

  /** Restores {@link #pending()} from a snapshot. */
  void restorePending(int maxOrder, int highestZoneIdx, int skippedTimeouts) {
    this.maxOrder = maxOrder;
    this.highestZoneIdx = highestZoneIdx;
    this.skippedTimeouts = skippedTimeouts;
  }

  /** Returns whether kcompactd was woken and has not run yet. */
  boolean woken() {
    return woken;
  }

  /** Models {@code kcompactd_node_suitable()}. */
  private boolean nodeSuitable() {
    for (int i = 0; i <= highestZoneIdx && i < a.zones.length; i++) {
      Zone z = a.zones[i];
      if (!z.populated()) {
        continue;
      }
      if (a.check.ok(
          z, maxOrder, z.wmark(AllocFlags.WMARK_MIN), highestZoneIdx, 0, z.nrFreePages)) {
        continue;
      }
      if (compaction.suitable(z, maxOrder, highestZoneIdx)) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code kcompactd_do_work()} if kcompactd was woken; its timer starts over. */
  void runIfWoken() {
    if (!woken) {
      return;
    }
    woken = false;
    running = true;
    try {
      doWork();
    } finally {
      running = false;
    }
    skippedTimeouts = 0;
  }

  /** Models {@code kcompactd_do_work()}. */
  private void doWork() {
    int order = maxOrder;
    int highest = highestZoneIdx;
    a.vmstat.compaction(CompactionEvent.KCOMPACTD_WAKE);
    a.vmstat.kcompactdWake++;
    for (int i = 0; i <= highest && i < a.zones.length; i++) {
      Zone z = a.zones[i];
      if (!z.populated()) {
        continue;
      }
      if (defer.deferred(z, order)) {
        continue;
      }
      if (a.check.ok(z, order, z.wmark(AllocFlags.WMARK_MIN), i, 0, z.nrFreePages)) {
        continue;
      }
      if (!compaction.suitable(z, order, i)) {
        continue;
      }
      CompactControl cc =
          compaction.control(
              z,
              CPU,
              order,
              UNMOVABLE,
              0,
              highest,
              MigrateMode.SYNC_LIGHT,
              false,
              false,
              false,
              false,
              false);
      CompactResult status = compaction.compactZone(cc);
      if (status == CompactResult.SUCCESS) {
        defer.reset(z, order, false);
      } else if (status == CompactResult.PARTIAL_SKIPPED || status == CompactResult.COMPLETE) {
        a.pcp.drainAllZone(z);
        defer.defer(z, order);
      }
      a.vmstat.kcompactdMigrateScanned += cc.totalMigrateScanned;
      a.vmstat.kcompactdFreeScanned += cc.totalFreeScanned;
    }
    if (maxOrder <= order) {
      maxOrder = 0;
    }
    if (highestZoneIdx >= highest) {
      highestZoneIdx = nrZones() - 1;
    }
  }

  private int nrZones() {
    int n = 0;
    for (Zone z : a.zones) {
      if (z.populated()) {
        n = z.idx + 1;
      }
    }
    return n;
  }

  /**
   * One expiry of kcompactd's 500 ms sleep: the proactive compaction check of {@code kcompactd()}
   * (none with vm.compaction_proactiveness 0, when the kernel sleeps without a timeout). Returns
   * whether a proactive pass ran.
   */
  boolean timeout() {
    if (!a.compactionEnabled() || a.sysctls.compactionProactiveness == 0) {
      return false;
    }
    if (woken) {
      runIfWoken();
      return false;
    }
    if (skippedTimeouts > 0) {
      skippedTimeouts--;
      return false;
    }
    if (!compaction.shouldProactiveCompactNode()) {
      return false;
    }
    int prevScore = compaction.fragmentationScoreNode();
    compaction.proactiveCompactNode(CPU);
    int score = compaction.fragmentationScoreNode();
    if (score >= prevScore) {
      skippedTimeouts = (1 << CompactionDefer.MAX_DEFER_SHIFT) - 1;
    }
    return true;
  }
}
