package io.cvmsim.core.mm;

import static io.cvmsim.core.memory.Sizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MappingKind;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.stats.ReclaimEvent;
import io.cvmsim.core.stats.ReclaimStats;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reclaim against the kernel's rules: kswapd and direct reclaim (mm/vmscan.c at v6.1 and v6.12:
 * wakeup_kswapd(), balance_pgdat(), shrink_inactive_list()), the slow path's retries
 * (mm/page_alloc.c at v6.1 and v6.12: __alloc_pages_direct_reclaim(), should_reclaim_retry()), the
 * per-cpu high under ZONE_RECLAIM_ACTIVE (mm/page_alloc.c v6.1 nr_pcp_high()), and what
 * /proc/meminfo and /proc/vmstat print about them (fs/proc/meminfo.c, mm/vmstat.c).
 */
class ReclaimTest {

  private static final int DMA32 = ZoneType.DMA32.ordinal();
  private static final Gfp FILE_GFP = Gfp.GFP_HIGHUSER_MOVABLE;

  private static PageAllocator guest(KernelModel k) {
    return Guests.boot(k, true, 256 * MIB, 256 * MIB, 2).allocator();
  }

  private static ReclaimStats stats(PageAllocator a) {
    return a.snapshot(0, new long[3], 2).reclaim();
  }

  private static long managed(PageAllocator a) {
    long n = 0;
    for (Zone z : a.zones) {
      n += z.managedPages;
    }
    return n;
  }

  private static long minWatermarks(PageAllocator a) {
    long n = 0;
    for (Zone z : a.zones) {
      n += z.managed() ? z.wmark(WatermarkLevel.MIN.ordinal()) : 0;
    }
    return n;
  }

  /**
   * Writing a file twice the size of memory never fails: kswapd is woken below the low watermark
   * and reclaims clean page cache (the flusher keeps dirty pages under the background threshold),
   * and the free pages stay above the min watermark.
   */
  @ParameterizedTest
  @EnumSource(
      value = KernelModel.class,
      names = {"V6_1", "V6_12"})
  void writingAFileLargerThanMemory_kswapdReclaimsThePageCache(KernelModel k) {
    PageAllocator a = guest(k);
    int file = a.createMapping(MappingKind.FILE);
    long pages = 2 * managed(a);
    for (int i = 0; i < pages; i++) {
      assertThat(a.addToMapping(i % 2, file, i, FILE_GFP, true)).as("page %d", i).isNotNegative();
    }
    Invariants.check(a);
    ReclaimStats r = stats(a);
    assertThat(r.event(ReclaimEvent.PAGEOUTRUN)).isPositive();
    assertThat(r.event(ReclaimEvent.KSWAPD_SLEEP)).isEqualTo(r.event(ReclaimEvent.WAKEUP_KSWAPD));
    assertThat(r.event(ReclaimEvent.PGSTEAL_KSWAPD)).isPositive();
    assertThat(r.event(ReclaimEvent.PGSTEAL_KSWAPD) + r.event(ReclaimEvent.PGSTEAL_DIRECT))
        .isEqualTo(pages - a.mappingPages(file));
    assertThat(r.event(ReclaimEvent.NR_DIRTIED)).isEqualTo(pages);
    assertThat(r.dirtyPages()).isLessThanOrEqualTo(r.dirtyThreshold());
    assertThat(r.filePages()).isEqualTo(a.mappingPages(file));
    assertThat(a.nrFreePages()).isGreaterThanOrEqualTo(minWatermarks(a));
    assertThat(a.snapshot(0, new long[3], 2).failures()).isZero();
    // kswapd ended its runs: ZONE_RECLAIM_ACTIVE is clear and the boosts it found are gone
    for (Zone z : a.zones) {
      assertThat(z.reclaimActive).isFalse();
    }
  }

  /**
   * Anonymous memory without swap is never reclaimed: a fill past memory first takes the clean page
   * cache, and fails (where the kernel would call the OOM killer) only when what is left of it
   * could not lift any zone over its min watermark.
   */
  @Test
  void anonymousFillPastMemory_takesThePageCacheThenFails() {
    PageAllocator a = guest(KernelModel.V6_12);
    int file = a.createMapping(MappingKind.FILE);
    long half = managed(a) / 2;
    for (int i = 0; i < half; i++) {
      assertThat(a.addToMapping(0, file, i, FILE_GFP, false)).isNotNegative();
    }
    assertThat(stats(a).event(ReclaimEvent.PAGEOUTRUN)).isZero();
    int anon = a.createMapping(MappingKind.ANON);
    int i = 0;
    while (a.addToMapping(i % 2, anon, i, Gfp.GFP_HIGHUSER_MOVABLE, false) >= 0) {
      i++;
    }
    ReclaimStats r = stats(a);
    assertThat(r.event(ReclaimEvent.OOM)).isEqualTo(1);
    assertThat(a.mappingPages(anon)).isEqualTo(i);
    assertThat(i).isGreaterThan((int) half);
    assertThat(a.mappingPages(file)).isLessThan(minWatermarks(a));
    assertThat(r.event(ReclaimEvent.PGSTEAL_DIRECT)).isPositive();
    // ALLOCSTALL counts by sc->reclaim_idx, gfp_zone(GFP_HIGHUSER_MOVABLE): ZONE_MOVABLE
    assertThat(r.allocstall()[ZoneType.MOVABLE.ordinal()]).isPositive();
    assertThat(r.event(ReclaimEvent.PGSCAN_ANON)).isZero();
    Map<String, Long> meminfo = ProcFormat.meminfoFields(a.snapshot(0, new long[3], 2));
    assertThat(meminfo.get("AnonPages")).isEqualTo(4L * i);
    assertThat(meminfo.get("Cached")).isEqualTo(4L * a.mappingPages(file));
    assertThat(meminfo.get("Inactive(anon)") + meminfo.get("Active(anon)")).isEqualTo(4L * i);
    a.deleteMapping(0, anon);
    a.deleteMapping(0, file);
    assertThat(stats(a).anonPages()).isZero();
    assertThat(stats(a).filePages()).isZero();
  }

  /** The allocator numbers the mapping kinds by their ordinals. */
  @Test
  void mappingKinds_areNumberedAsThePageCacheNumbersThem() {
    assertThat(MappingKind.FILE.ordinal()).isEqualTo(PageCache.FILE);
    assertThat(MappingKind.SHMEM.ordinal()).isEqualTo(PageCache.SHMEM);
    assertThat(MappingKind.ANON.ordinal()).isEqualTo(PageCache.ANON);
  }

  /** A page read twice is activated (folio_mark_accessed(), mm/swap.c), counted in pgactivate. */
  @Test
  void secondAccess_activatesTheFolio() {
    PageAllocator a = guest(KernelModel.V6_1);
    int file = a.createMapping(MappingKind.FILE);
    a.addToMapping(0, file, 0, FILE_GFP, false);
    assertThat(a.touchMapping(file, 0, false)).isTrue();
    assertThat(stats(a).activeFile()).isZero();
    assertThat(a.touchMapping(file, 0, false)).isTrue();
    assertThat(stats(a).activeFile()).isEqualTo(1);
    assertThat(stats(a).event(ReclaimEvent.PGACTIVATE)).isEqualTo(1);
    assertThat(a.touchMapping(file, 1, false)).isFalse();
  }

  /**
   * In a replay kswapd's runs come from the trace: a traced mm_vmscan_kswapd_wake sets
   * ZONE_RECLAIM_ACTIVE, so the per-cpu lists free down to batch << 2 (mm/page_alloc.c v6.1
   * nr_pcp_high()), and the boost found at the wake is held until the run ends (balance_pgdat()
   * resets it at its end, mm/vmscan.c v6.1).
   */
  @Test
  void tracedKswapdRun_holdsTheBoostAndShrinksThePerCpuHigh() {
    PageAllocator a = guest(KernelModel.V6_1);
    Zone z = a.zones[DMA32];
    long[] held = new long[4000];
    for (int i = 0; i < held.length; i++) {
      held[i] = a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
    }
    z.watermarkBoost = 64;
    a.kswapdWakeFromTrace();
    assertThat(z.reclaimActive).isTrue();
    for (long pfn : held) {
      a.freePages(0, pfn);
    }
    Pageset set = a.pcp.pageset(0, z);
    assertThat(set.count).isLessThanOrEqualTo(set.batch << 2);
    assertThat(z.watermarkBoost).isEqualTo(64);
    a.kswapdSleepFromTrace();
    assertThat(z.reclaimActive).isFalse();
    assertThat(z.watermarkBoost).isZero();
    assertThat(stats(a).event(ReclaimEvent.PAGEOUTRUN)).isEqualTo(1);
  }
}
