package io.cvmsim.core.mm;

import java.util.Arrays;

/**
 * Models the classic LRU reclaim of mm/vmscan.c (v6.1; the same in v6.5 and v6.12 with the
 * multi-gen LRU off): {@code shrink_node()} over the node's {@link Lru}, {@code get_scan_count()},
 * {@code shrink_lruvec()} scanning each list in SWAP_CLUSTER_MAX batches, {@code
 * shrink_active_list()} moving active folios to the inactive list when {@code inactive_is_low()},
 * and {@code shrink_inactive_list()} isolating folios from the tail ({@code isolate_lru_folios()},
 * skipping those in zones above the reclaim index) and freeing the clean file folios ({@code
 * shrink_folio_list()}) on the reclaiming CPU, where the per-cpu lists receive them.
 *
 * <p>What the simulator leaves out: swap (without it get_scan_count() scans only the file lists, as
 * the kernel does with no swap), page tables and rmap (no folio is mapped, so PG_referenced alone
 * never saves an inactive file folio, as folio_check_references() decides for unmapped page cache),
 * the workingset's refault detection (shadow entries), slab shrinkers, memcg, and
 * should_continue_reclaim() for compaction. A dirty file folio met by reclaim is activated with
 * PG_reclaim and the flusher woken when every folio taken was dirty, as the kernel does; with no
 * disk the flusher cleans at once, so kswapd never writes pages itself (pageout()).
 *
 * <p>Not thread safe: the owning VM serializes every call.
 */
final class Vmscan {

  /** SWAP_CLUSTER_MAX. */
  static final int SWAP_CLUSTER_MAX = 32;

  /** DEF_PRIORITY. */
  static final int DEF_PRIORITY = 12;

  private static final int DEACTIVATE_ANON = 1;
  private static final int DEACTIVATE_FILE = 2;

  /** {@code struct scan_control}: what one reclaim wants, and what it did. */
  static final class ScanControl {
    /** nr_to_reclaim. */
    long nrToReclaim;

    /** reclaim_idx: the highest zone whose folios may be reclaimed. */
    int reclaimIdx;

    /** order of the allocation reclaim is for. */
    int order;

    /** priority: each list is scanned by its size shifted right by this. */
    int priority = DEF_PRIORITY;

    /** Whether kswapd reclaims (current_is_kswapd()): decides pgscan_kswapd or pgscan_direct. */
    boolean kswapd;

    /** The CPU reclaim runs on: freed folios go to its per-cpu lists. */
    int cpu;

    /** may_deactivate: which active lists may be shrunk. */
    int mayDeactivate;

    /** force_deactivate. */
    boolean forceDeactivate;

    /** skipped_deactivate. */
    boolean skippedDeactivate;

    /** nr_scanned. */
    long nrScanned;

    /** nr_reclaimed. */
    long nrReclaimed;
  }

  private final Lru lru;
  private final PageCache cache;
  private final Vmstat vmstat;
  private final long[] nr = new long[Lru.LISTS];
  private int[] isolated = new int[SWAP_CLUSTER_MAX];
  private int[] skipped = new int[SWAP_CLUSTER_MAX];
  private int taken;

  Vmscan(Lru lru, PageCache cache, Vmstat vmstat) {
    this.lru = lru;
    this.cache = cache;
    this.vmstat = vmstat;
  }

  /**
   * Models {@code shrink_node()} for the node: sets the lists that may be deactivated, shrinks the
   * lists and returns the pages reclaimed (added to {@code sc.nrReclaimed}).
   */
  long shrinkNode(ScanControl sc) {
    long before = sc.nrReclaimed;
    prepareScanCount(sc);
    shrinkLruvec(sc);
    return sc.nrReclaimed - before;
  }

  /** Models the part of {@code prepare_scan_count()} that decides may_deactivate. */
  private void prepareScanCount(ScanControl sc) {
    if (sc.forceDeactivate) {
      sc.mayDeactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
      return;
    }
    sc.mayDeactivate = 0;
    if (inactiveIsLow(Lru.INACTIVE_ANON)) {
      sc.mayDeactivate |= DEACTIVATE_ANON;
    }
    if (inactiveIsLow(Lru.INACTIVE_FILE)) {
      sc.mayDeactivate |= DEACTIVATE_FILE;
    }
  }

  /**
   * Models {@code inactive_is_low()}: whether the inactive list is smaller than the active list
   * divided by int_sqrt(10 × the lists' size in GiB) (or 1 below a GiB).
   */
  boolean inactiveIsLow(int inactiveLru) {
    long inactive = lru.pages(inactiveLru);
    long active = lru.pages(inactiveLru + 1);
    long gb = (inactive + active) >>> 18;
    long ratio = gb > 0 ? Watermarks.intSqrt(10 * gb) : 1;
    return inactive * ratio < active;
  }

  /**
   * Models {@code get_scan_count()} with no swap (SCAN_FILE): each file list's pages in zones up to
   * the reclaim index, shifted right by the priority; nothing from the anon lists.
   */
  private void getScanCount(ScanControl sc) {
    for (int l = 0; l < Lru.LISTS; l++) {
      nr[l] = Lru.isFile(l) ? lru.sizeUpTo(l, sc.reclaimIdx) >>> sc.priority : 0;
    }
  }

  /** Models {@code shrink_lruvec()}. */
  private void shrinkLruvec(ScanControl sc) {
    getScanCount(sc);
    long reclaimed = 0;
    boolean proportional = !sc.kswapd && sc.priority == DEF_PRIORITY;
    while (nr[Lru.INACTIVE_ANON] > 0 || nr[Lru.ACTIVE_FILE] > 0 || nr[Lru.INACTIVE_FILE] > 0) {
      for (int l = 0; l < Lru.LISTS; l++) {
        if (nr[l] > 0) {
          int n = (int) Math.min(nr[l], SWAP_CLUSTER_MAX);
          nr[l] -= n;
          reclaimed += shrinkList(l, n, sc);
        }
      }
      if (reclaimed < sc.nrToReclaim || proportional) {
        continue;
      }
      // no swap: the anon targets are 0, so once enough is reclaimed the scan stops
      if (nr[Lru.INACTIVE_ANON] + nr[Lru.ACTIVE_ANON] == 0
          || nr[Lru.INACTIVE_FILE] + nr[Lru.ACTIVE_FILE] == 0) {
        break;
      }
    }
    sc.nrReclaimed += reclaimed;
  }

  /** Models {@code shrink_list()}. */
  private long shrinkList(int l, int n, ScanControl sc) {
    if (Lru.isActive(l)) {
      if ((sc.mayDeactivate & (Lru.isFile(l) ? DEACTIVATE_FILE : DEACTIVATE_ANON)) != 0) {
        shrinkActiveList(n, l, sc);
      } else {
        sc.skippedDeactivate = true;
      }
      return 0;
    }
    return shrinkInactiveList(n, l, sc);
  }

  /**
   * Models {@code isolate_lru_folios()}: takes up to {@code n} pages of folios from the tail of
   * {@code l} into {@link #isolated}, moving folios of zones above the reclaim index back to the
   * head; sets {@link #taken} to the folios taken and returns the pages scanned (skipped ones
   * included).
   */
  private long isolate(int n, int l, ScanControl sc) {
    long scan = 0;
    long totalScan = 0;
    int count = 0;
    int skippedCount = 0;
    while (scan < n) {
      int id = lru.tail(l);
      if (id == Lru.NONE) {
        break;
      }
      long pages = lru.nrPages(id);
      totalScan += pages;
      lru.remove(id);
      if (lru.zone(id) > sc.reclaimIdx) {
        if (skippedCount == skipped.length) {
          skipped = Arrays.copyOf(skipped, skippedCount * 2);
        }
        skipped[skippedCount++] = id;
        continue;
      }
      scan += pages;
      if (count == isolated.length) {
        isolated = Arrays.copyOf(isolated, count * 2);
      }
      isolated[count++] = id;
    }
    for (int i = 0; i < skippedCount; i++) {
      lru.addHead(skipped[i], l);
    }
    taken = count;
    return totalScan;
  }

  /** Models {@code shrink_active_list()}: every isolated folio goes to the inactive head. */
  private void shrinkActiveList(int n, int l, ScanControl sc) {
    long scanned = isolate(n, l, sc);
    vmstat.pgrefill += scanned;
    long deactivated = 0;
    for (int i = 0; i < taken; i++) {
      int id = isolated[i];
      lru.addHead(id, l - 1);
      deactivated += lru.nrPages(id);
    }
    vmstat.pgdeactivate += deactivated;
  }

  /**
   * Models {@code shrink_inactive_list()} and {@code shrink_folio_list()}: clean file folios are
   * freed; dirty ones get PG_reclaim and go to the active list (as do swap-backed folios, which
   * cannot be written without swap); the flusher is woken when every folio taken was dirty.
   */
  private long shrinkInactiveList(int n, int l, ScanControl sc) {
    long scanned = isolate(n, l, sc);
    if (sc.kswapd) {
      vmstat.pgscanKswapd += scanned;
    } else {
      vmstat.pgscanDirect += scanned;
    }
    if (Lru.isFile(l)) {
      vmstat.pgscanFile += scanned;
    } else {
      vmstat.pgscanAnon += scanned;
    }
    sc.nrScanned += scanned;
    if (taken == 0) {
      return 0;
    }
    long reclaimed = 0;
    int dirty = 0;
    for (int i = 0; i < taken; i++) {
      int id = isolated[i];
      if (lru.test(id, Lru.SWAPBACKED)) {
        lru.addHead(id, l | 1);
        vmstat.pgactivate += lru.nrPages(id);
        continue;
      }
      if (lru.test(id, Lru.DIRTY)) {
        dirty++;
        vmstat.nrVmscanImmediate += lru.nrPages(id);
        lru.set(id, Lru.RECLAIM);
        lru.addHead(id, l | 1);
        vmstat.pgactivate += lru.nrPages(id);
        continue;
      }
      lru.clear(id, Lru.REFERENCED);
      reclaimed += lru.nrPages(id);
      cache.release(sc.cpu, id);
    }
    if (sc.kswapd) {
      vmstat.pgstealKswapd += reclaimed;
    } else {
      vmstat.pgstealDirect += reclaimed;
    }
    if (Lru.isFile(l)) {
      vmstat.pgstealFile += reclaimed;
    } else {
      vmstat.pgstealAnon += reclaimed;
    }
    if (dirty == taken) {
      // wakeup_flusher_threads(WB_REASON_VMSCAN): everything dirty is written back
      cache.writebackOldest(cache.dirty);
    }
    return reclaimed;
  }
}
