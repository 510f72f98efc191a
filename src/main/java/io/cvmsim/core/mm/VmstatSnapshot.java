package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.CompactionCounters;
import io.cvmsim.core.stats.ExtfragEventView;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ReclaimEvent;
import io.cvmsim.core.stats.ReclaimStats;
import io.cvmsim.core.stats.ZoneSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the allocator as mm/vmstat.c reads the zones for /proc: every counter, free-list length and
 * pageblock count copied into an immutable {@link MemorySnapshot} that shares nothing with the live
 * structures.
 */
final class VmstatSnapshot {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int RECLAIMABLE = MigrateType.RECLAIMABLE.ordinal();
  private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

  private VmstatSnapshot() {}

  private static int[][] pagesets(PageAllocator a, Zone z) {
    int[][] out = new int[a.pcp.cpus()][];
    for (int c = 0; c < out.length; c++) {
      Pageset p = a.pcp.pageset(c, z);
      out[c] = new int[] {p.count, p.high, p.batch};
    }
    return out;
  }

  /** Returns the snapshot of {@code a} now. */
  static MemorySnapshot of(PageAllocator a, long percpuPages, long[] directMap, int vcpus) {
    FreeAreas free = a.buddy.free;
    List<ZoneSnapshot> zs = new ArrayList<>(ZoneType.COUNT);
    for (Zone z : a.zones) {
      long[] nrFree = new long[Sizes.NR_ORDERS];
      long[][] blocks = new long[Sizes.NR_ORDERS][MigrateType.COUNT];
      if (z.idx < ZoneType.POPULATABLE) {
        for (int o = 0; o < Sizes.NR_ORDERS; o++) {
          nrFree[o] = free.nrFree(z.idx, o);
          for (int m = 0; m < MigrateType.COUNT; m++) {
            blocks[o][m] = free.count(z.idx, o, m);
          }
        }
      }
      zs.add(
          new ZoneSnapshot(
              z.type.procName(),
              z.idx,
              z.populated(),
              z.startPfn,
              z.spannedPages,
              z.presentPages,
              z.managedPages,
              z.nrFreePages,
              z.nrUnaccepted,
              z.allocatedPages,
              z.nrFreeHighatomic,
              z.nrReservedHighatomic,
              z.watermark.clone(),
              z.watermarkBoost,
              z.lowmemReserve.clone(),
              nrFree,
              blocks,
              a.pageblocks.counts(z.idx),
              z.pgalloc,
              z.parked.runs(),
              pagesets(a, z),
              new long[] {
                a.lru.zonePages(Lru.INACTIVE_ANON, z.idx),
                a.lru.zonePages(Lru.ACTIVE_ANON, z.idx),
                a.lru.zonePages(Lru.INACTIVE_FILE, z.idx),
                a.lru.zonePages(Lru.ACTIVE_FILE, z.idx)
              },
              a.pageCache.zoneDirty[z.idx]));
    }
    ExtfragStats extfrag = a.buddy.extfrag;
    long[][][] ef = new long[MigrateType.COUNT][MigrateType.COUNT][2];
    for (int am = 0; am < MigrateType.COUNT; am++) {
      for (int fm = 0; fm < MigrateType.COUNT; fm++) {
        ef[am][fm][0] = extfrag.count(am, fm, false);
        ef[am][fm][1] = extfrag.count(am, fm, true);
      }
    }
    List<ExtfragEventView> recent = new ArrayList<>();
    for (ExtfragEvent e : extfrag.recent()) {
      recent.add(
          new ExtfragEventView(
              e.pfn(),
              e.allocOrder(),
              e.fallbackOrder(),
              e.allocMigratetype(),
              e.fallbackMigratetype(),
              e.fragmenting(),
              e.changeOwnership()));
    }
    Vmstat v = a.vmstat;
    LiveAllocations live = a.live;
    return new MemorySnapshot(
        a.model.label(),
        a.rules.procDialect(),
        List.copyOf(zs),
        a.sysctls.minFreeKbytes,
        a.sysctls.watermarkScaleFactor,
        a.watermarks.totalReservePages,
        v.pgfree,
        v.allocOk.clone(),
        v.allocFailed.clone(),
        v.freed.clone(),
        ef,
        extfrag.total(),
        extfrag.fragmenting(),
        extfrag.fragmentingMovable(),
        v.pageoutrun,
        compactionCounters(v),
        v.acceptedChunks,
        live.size(),
        v.zoneLocked,
        v.pcpDrain,
        live.pages(MOVABLE),
        live.pages(RECLAIMABLE),
        live.pages(UNMOVABLE) + live.pages(HIGHATOMIC),
        percpuPages,
        directMap.clone(),
        vcpus,
        List.copyOf(recent),
        reclaim(a));
  }

  private static ReclaimStats reclaim(PageAllocator a) {
    Vmstat v = a.vmstat;
    long[] lru = new long[Lru.LISTS];
    long onLru = 0;
    for (int l = 0; l < Lru.LISTS; l++) {
      lru[l] = a.lru.pages(l);
      onLru += lru[l];
    }
    long[] events = new long[ReclaimEvent.values().length];
    events[ReclaimEvent.PAGEOUTRUN.ordinal()] = v.pageoutrun;
    events[ReclaimEvent.PGSCAN_KSWAPD.ordinal()] = v.pgscanKswapd;
    events[ReclaimEvent.PGSCAN_DIRECT.ordinal()] = v.pgscanDirect;
    events[ReclaimEvent.PGSTEAL_KSWAPD.ordinal()] = v.pgstealKswapd;
    events[ReclaimEvent.PGSTEAL_DIRECT.ordinal()] = v.pgstealDirect;
    events[ReclaimEvent.PGSCAN_ANON.ordinal()] = v.pgscanAnon;
    events[ReclaimEvent.PGSCAN_FILE.ordinal()] = v.pgscanFile;
    events[ReclaimEvent.PGSTEAL_ANON.ordinal()] = v.pgstealAnon;
    events[ReclaimEvent.PGSTEAL_FILE.ordinal()] = v.pgstealFile;
    events[ReclaimEvent.PGACTIVATE.ordinal()] = v.pgactivate;
    events[ReclaimEvent.PGDEACTIVATE.ordinal()] = v.pgdeactivate;
    events[ReclaimEvent.PGREFILL.ordinal()] = v.pgrefill;
    events[ReclaimEvent.PGROTATED.ordinal()] = v.pgrotated;
    events[ReclaimEvent.NR_VMSCAN_IMMEDIATE.ordinal()] = v.nrVmscanImmediate;
    events[ReclaimEvent.NR_DIRTIED.ordinal()] = v.nrDirtied;
    events[ReclaimEvent.NR_WRITTEN.ordinal()] = v.nrWritten;
    events[ReclaimEvent.WAKEUP_KSWAPD.ordinal()] = v.wakeupKswapd;
    events[ReclaimEvent.KSWAPD_SLEEP.ordinal()] = v.kswapdSleeps;
    events[ReclaimEvent.OOM.ordinal()] = v.oomFailures;
    PageCache pc = a.pageCache;
    return new ReclaimStats(
        lru,
        Math.max(0, a.live.pages(MOVABLE) - onLru),
        pc.filePages,
        pc.shmemPages,
        pc.anonPages,
        pc.dirty,
        0,
        a.writeback.dirtyThreshold(),
        a.writeback.backgroundThreshold(),
        events,
        v.allocstall.clone());
  }

  private static CompactionCounters compactionCounters(Vmstat v) {
    Map<String, Long> events = new LinkedHashMap<>();
    for (CompactionEvent e : CompactionEvent.values()) {
      events.put(e.tracepoint(), v.compactionEvents[e.ordinal()]);
    }
    return new CompactionCounters(
        v.pgmigrateSuccess,
        v.pgmigrateFail,
        v.compactMigrateScanned,
        v.compactFreeScanned,
        v.compactIsolated,
        v.compactStall,
        v.compactFail,
        v.compactSuccess,
        v.kcompactdWake,
        v.kcompactdMigrateScanned,
        v.kcompactdFreeScanned,
        events);
  }
}
