package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models kswapd, the node's reclaim thread (mm/vmscan.c at v6.1 and v6.12: {@code wakeup_kswapd()},
 * {@code kswapd()}, {@code kswapd_try_to_sleep()}, {@code balance_pgdat()}, {@code
 * kswapd_shrink_node()}, {@code pgdat_balanced()}).
 *
 * <p>An allocation that finds its zones below the low watermark (the slow path's {@code
 * wake_all_kswapds()}), or one that boosted a zone's watermark, calls {@link #wakeup}: a sleeping
 * kswapd is woken unless the node is balanced (some eligible zone passes {@code
 * zone_watermark_ok_safe()} at its high watermark, boost included) with no boost, or kswapd failed
 * MAX_RECLAIM_RETRIES runs in a row. The kernel's kswapd then runs on another CPU while the
 * allocator goes on; the simulator runs it synchronously when the allocation that woke it returns
 * ({@link #runIfWoken}), on CPU {@link #CPU}, until it sleeps: each {@code balance_pgdat()} sets
 * ZONE_RECLAIM_ACTIVE on the zones it balances (so the per-cpu lists free back at a smaller high),
 * reclaims the boost first (without writing pages), then at falling priorities until the node is
 * balanced, clears ZONE_RECLAIM_ACTIVE and drops the boost it found when it started — the boost is
 * held until then. A run that reclaims nothing counts a failure; any reclaim resets them.
 *
 * <p>kswapd wakes kcompactd ({@link Kcompactd#wakeup}) where mm/vmscan.c (v6.12, v6.1 alike) does:
 * {@code wakeup_kswapd()} for a caller without __GFP_DIRECT_RECLAIM when the node is balanced (or
 * hopeless) — free memory that is too fragmented; the end of a {@code balance_pgdat()} that found a
 * boost, at pageblock order; and {@code kswapd_try_to_sleep()} when {@code prepare_kswapd_sleep()}
 * lets it nap, after {@code reset_isolation_suitable()}, at the order the waker asked for ({@link
 * Kcompactd#kswapdSleeping}).
 *
 * <p>When replaying a kernel's trace the kernel's own reclaim is in the trace (its frees), so
 * kswapd's runs are the trace's instead ({@link #traceWake}, {@link #traceSleep}): a run begins at
 * {@code mm_vmscan_kswapd_wake} and ends at the next wake or at {@code mm_vmscan_kswapd_sleep} (the
 * trace does not mark where {@code balance_pgdat()} returned; the sleep follows a nap of HZ/10),
 * and reclaims nothing itself. {@link #wakeup} still counts the wakes the model would make
 * (mm_vmscan_wakeup_kswapd) while the trace's kswapd sleeps. A trace-driven kswapd never wakes the
 * model's kcompactd: the trace carries the kernel's own compaction (its migrations as frees and
 * allocations), and the replay turns the model's compaction off besides.
 *
 * <p>Not thread safe: the owning VM serializes every call.
 */
final class Kswapd {

  /** MAX_RECLAIM_RETRIES. */
  static final int MAX_RECLAIM_RETRIES = 16;

  /** The CPU kswapd runs on: its reclaimed folios are freed to this CPU's per-cpu lists. */
  static final int CPU = 0;

  /** MAX_NR_ZONES: no zone requested. */
  private static final int NO_ZONE = ZoneType.COUNT;

  private static final int HIGH = WatermarkLevel.HIGH.ordinal();

  private final Zone[] zones;
  private final WatermarkCheck check;
  private final Vmscan vmscan;
  private final Vmstat vmstat;
  private final Kcompactd kcompactd;

  /** pgdat->kswapd_order. */
  private int order;

  /** pgdat->kswapd_highest_zoneidx. */
  private int highestZoneIdx = NO_ZONE;

  /** kswapd()'s highest_zoneidx, kept between runs. */
  private int lastHighest = NO_ZONE - 1;

  /** pgdat->kswapd_failures. */
  int failures;

  /** Whether kswapd waits on its waitqueue (waitqueue_active()). */
  private boolean sleeping = true;

  /** Whether an allocation woke it and it has not run yet. */
  private boolean woken;

  /** Whether the runs come from a trace. */
  private boolean fromTrace;

  /** A trace-driven run in progress: its zones and the boosts it found. */
  private boolean inRun;

  private int runHighest;
  private final long[] zoneBoosts = new long[ZoneType.COUNT];

  Kswapd(Zone[] zones, WatermarkCheck check, Vmscan vmscan, Vmstat vmstat, Kcompactd kcompactd) {
    this.zones = zones;
    this.check = check;
    this.vmscan = vmscan;
    this.vmstat = vmstat;
    this.kcompactd = kcompactd;
  }

  /** Returns whether kswapd's runs come from a replayed trace. */
  boolean fromTrace() {
    return fromTrace;
  }

  /**
   * Models {@code wakeup_kswapd(zone, gfp, order, highest_zoneidx)}: records the order and the
   * highest zone kswapd must balance for, and wakes it if it sleeps and the node needs it; if the
   * node is balanced (or hopeless) and the caller cannot reclaim ({@code directReclaim} false),
   * wakes kcompactd instead.
   */
  void wakeup(Zone zone, int reqOrder, int highestIdx, boolean directReclaim) {
    if (!zone.managed()) {
      return;
    }
    if (highestZoneIdx == NO_ZONE || highestZoneIdx < highestIdx) {
      highestZoneIdx = highestIdx;
    }
    if (order < reqOrder) {
      order = reqOrder;
    }
    if (!sleeping) {
      return;
    }
    if (failures >= MAX_RECLAIM_RETRIES
        || (balanced(reqOrder, highestIdx) && !watermarkBoosted(highestIdx))) {
      // "There may be plenty of free memory available, but it's too fragmented for high-order
      // allocations": wakeup_kcompactd() for a caller that cannot reclaim (mm/vmscan.c, v6.12)
      if (!directReclaim && !fromTrace) {
        kcompactd.wakeup(reqOrder, highestIdx);
      }
      return;
    }
    vmstat.wakeupKswapd++;
    if (!fromTrace) {
      sleeping = false;
      woken = true;
    }
  }

  /**
   * Runs kswapd if an allocation woke it: {@code balance_pgdat()} again and again until {@code
   * prepare_kswapd_sleep()} lets it sleep (the node balanced, or MAX_RECLAIM_RETRIES failures).
   */
  void runIfWoken() {
    if (!woken) {
      return;
    }
    woken = false;
    while (true) {
      int allocOrder = order;
      int highest = highestZoneIdx == NO_ZONE ? lastHighest : highestZoneIdx;
      lastHighest = highest;
      order = 0;
      highestZoneIdx = NO_ZONE;
      int reclaimOrder = balancePgdat(allocOrder, highest);
      int sleepOrder = reclaimOrder < allocOrder ? reclaimOrder : order;
      if (prepareSleep(sleepOrder, highest)) {
        // kswapd_try_to_sleep(): reset_isolation_suitable() and wakeup_kcompactd(alloc_order)
        // before the short nap
        kcompactd.kswapdSleeping(allocOrder, highest);
        sleeping = true;
        vmstat.kswapdSleeps++;
        return;
      }
    }
  }

  /** Models {@code prepare_kswapd_sleep()}. */
  private boolean prepareSleep(int sleepOrder, int highest) {
    return failures >= MAX_RECLAIM_RETRIES || balanced(sleepOrder, highest);
  }

  /**
   * Models {@code pgdat_balanced()}: whether any managed zone up to {@code highestIdx} passes its
   * high watermark (boost included) for {@code reqOrder}; true when there is none.
   */
  boolean balanced(int reqOrder, int highestIdx) {
    boolean any = false;
    for (int i = 0; i <= highestIdx && i < zones.length; i++) {
      Zone z = zones[i];
      if (!z.managed()) {
        continue;
      }
      any = true;
      if (check.ok(z, reqOrder, z.wmark(HIGH), highestIdx, 0, z.nrFreePages)) {
        return true;
      }
    }
    return !any;
  }

  /** Models {@code pgdat_watermark_boosted()}. */
  private boolean watermarkBoosted(int highestIdx) {
    for (int i = Math.min(highestIdx, zones.length - 1); i >= 0; i--) {
      if (zones[i].managed() && zones[i].watermarkBoost != 0) {
        return true;
      }
    }
    return false;
  }

  /** Models {@code balance_pgdat()}: returns the order it reclaimed for. */
  private int balancePgdat(int reqOrder, int highest) {
    Vmscan.ScanControl sc = new Vmscan.ScanControl();
    sc.order = reqOrder;
    sc.kswapd = true;
    sc.cpu = CPU;
    long nrBoostReclaim = beginRun(highest);
    boolean restart = true;
    while (restart) {
      restart = false;
      setReclaimActive(highest, true);
      sc.priority = Vmscan.DEF_PRIORITY;
      do {
        long before = sc.nrReclaimed;
        boolean raisePriority = true;
        sc.reclaimIdx = highest;
        boolean isBalanced = balanced(sc.order, highest);
        if (!isBalanced && nrBoostReclaim > 0) {
          nrBoostReclaim = 0;
          restart = true;
          break;
        }
        if (nrBoostReclaim == 0 && isBalanced) {
          endRun();
          return sc.order;
        }
        if (nrBoostReclaim > 0 && sc.priority == Vmscan.DEF_PRIORITY - 2) {
          raisePriority = false;
        }
        sc.nrScanned = 0;
        if (shrinkNode(sc)) {
          raisePriority = false;
        }
        long reclaimed = sc.nrReclaimed - before;
        nrBoostReclaim -= Math.min(nrBoostReclaim, reclaimed);
        if (nrBoostReclaim > 0 && reclaimed == 0) {
          break;
        }
        if (raisePriority || reclaimed == 0) {
          sc.priority--;
        }
      } while (sc.priority >= 1);
    }
    if (sc.nrReclaimed == 0) {
      failures++;
    }
    endRun();
    return sc.order;
  }

  /**
   * Models {@code kswapd_shrink_node()}: reclaims toward the eligible zones' high watermarks;
   * returns whether it scanned as much as it was asked to reclaim.
   */
  private boolean shrinkNode(Vmscan.ScanControl sc) {
    sc.nrToReclaim = 0;
    for (int i = 0; i <= sc.reclaimIdx && i < zones.length; i++) {
      if (zones[i].managed()) {
        sc.nrToReclaim += Math.max(zones[i].wmark(HIGH), Vmscan.SWAP_CLUSTER_MAX);
      }
    }
    if (vmscan.shrinkNode(sc) > 0) {
      failures = 0;
    }
    if (sc.order > 0 && sc.nrReclaimed >= 2L << sc.order) {
      sc.order = 0;
    }
    return sc.nrScanned >= sc.nrToReclaim;
  }

  /**
   * The start of a {@code balance_pgdat()} run: counts it (PAGEOUTRUN, one mm_vmscan_kswapd_wake)
   * and records the boosts it will drop; returns their sum.
   */
  private long beginRun(int highest) {
    vmstat.pageoutrun++;
    inRun = true;
    runHighest = highest;
    long sum = 0;
    for (int i = 0; i < zones.length; i++) {
      zoneBoosts[i] = i <= highest && zones[i].managed() ? zones[i].watermarkBoost : 0;
      sum += zoneBoosts[i];
    }
    return sum;
  }

  /**
   * The end of a {@code balance_pgdat()} run: ZONE_RECLAIM_ACTIVE cleared, the boosts found at its
   * start taken off (boosts raised since stay), and if there were any, kcompactd woken at pageblock
   * order.
   */
  private void endRun() {
    if (!inRun) {
      return;
    }
    inRun = false;
    setReclaimActive(runHighest, false);
    boolean boosted = false;
    for (int i = 0; i < zones.length; i++) {
      Zone z = zones[i];
      boosted |= zoneBoosts[i] != 0;
      z.watermarkBoost -= Math.min(z.watermarkBoost, zoneBoosts[i]);
      zoneBoosts[i] = 0;
    }
    if (boosted && !fromTrace) {
      // balance_pgdat(): "As there is now likely space, wakeup kcompact to defragment pageblocks"
      kcompactd.wakeup(Sizes.PAGEBLOCK_ORDER, runHighest);
    }
  }

  /** Models {@code update_reclaim_active()}. */
  private void setReclaimActive(int highest, boolean active) {
    for (int i = 0; i <= highest && i < zones.length; i++) {
      if (zones[i].managed()) {
        zones[i].reclaimActive = active;
      }
    }
  }

  // ------------------------------------------------------------------ runs from a trace

  /**
   * A traced {@code mm_vmscan_kswapd_wake}: the previous run ends, a new one begins over the zones
   * the model's wakeups asked for (all of them if none did).
   */
  void traceWake() {
    fromTrace = true;
    woken = false;
    endRun();
    int highest = highestZoneIdx == NO_ZONE ? lastHighest : highestZoneIdx;
    lastHighest = highest;
    order = 0;
    highestZoneIdx = NO_ZONE;
    sleeping = false;
    beginRun(highest);
    setReclaimActive(highest, true);
  }

  /** A traced {@code mm_vmscan_kswapd_sleep}: the run ends and kswapd sleeps. */
  void traceSleep() {
    fromTrace = true;
    endRun();
    if (!sleeping) {
      sleeping = true;
      vmstat.kswapdSleeps++;
    }
  }
}
