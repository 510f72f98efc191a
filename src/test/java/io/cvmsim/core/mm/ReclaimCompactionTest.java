package io.cvmsim.core.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MappingKind;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.ReclaimEvent;
import org.junit.jupiter.api.Test;

/**
 * Reclaim and compaction together: page-cache folios are movable and migrate, keeping their
 * handles, so reclaim and truncation free the right pages wherever compaction moved them
 * (mm/migrate.c, mm/compaction.c isolate_migratepages_block() at v6.12: LRU folios are isolated);
 * kswapd wakes kcompactd at the end of a boosted balance_pgdat() (mm/vmscan.c at v6.12), but not
 * when its runs come from a replayed trace.
 */
class ReclaimCompactionTest {

  private static final Gfp FILE_GFP = Gfp.GFP_HIGHUSER_MOVABLE;

  private static long managed(PageAllocator a) {
    long n = 0;
    for (Zone z : a.zones) {
      n += z.managedPages;
    }
    return n;
  }

  /** A file over half of memory with every other page punched out: fragmented page cache. */
  private static int fragmentedFile(PageAllocator a, long pages) {
    int file = a.createMapping(MappingKind.FILE);
    for (int i = 0; i < pages; i++) {
      assertThat(a.addToMapping(0, file, i, FILE_GFP, false)).isNotNegative();
    }
    for (int i = 0; i < pages; i += 2) {
      assertThat(a.removeFromMapping(0, file, i)).isTrue();
    }
    a.pcp.drainAll();
    return file;
  }

  @Test
  void pageCacheFolios_migrate_andTruncationFreesThemByHandle() {
    for (KernelModel k : new KernelModel[] {KernelModel.V6_1, KernelModel.V6_12}) {
      Guests.Booted g = Guests.boot(k, true, Sizes.GIB);
      PageAllocator a = g.allocator();
      int boot = a.live.size();
      long pages = managed(a) * 6 / 10;
      int file = fragmentedFile(a, pages);
      long cached = a.mappingPages(file);
      long migrated = a.vmstat.pgmigrateSuccess;
      a.compactMemory(0);
      assertThat(a.vmstat.pgmigrateSuccess).as(k + " folios migrated").isGreaterThan(migrated);
      assertThat(a.live.moved()).as(k + " migrated folios keep their handles").isPositive();
      assertThat(a.mappingPages(file)).isEqualTo(cached);
      Invariants.check(a);
      a.deleteMapping(1, file);
      assertThat(a.live.moved()).isZero();
      assertThat(a.live.size()).isEqualTo(boot);
      Invariants.check(a);
    }
  }

  @Test
  void reclaim_freesMigratedFoliosByHandle() {
    Guests.Booted g = Guests.boot(KernelModel.V6_12, true, Sizes.GIB);
    PageAllocator a = g.allocator();
    long pages = managed(a) * 6 / 10;
    int old = fragmentedFile(a, pages);
    a.compactMemory(0);
    int moved = a.live.moved();
    assertThat(moved).isPositive();
    // a second file as large as memory: kswapd reclaims the oldest (the migrated) folios first
    int file = a.createMapping(MappingKind.FILE);
    long more = managed(a);
    for (int i = 0; i < more; i++) {
      assertThat(a.addToMapping(i % 2, file, i, FILE_GFP, false)).isNotNegative();
    }
    Invariants.check(a);
    assertThat(a.mappingPages(old)).as("the old file was reclaimed").isLessThan(pages / 2);
    assertThat(a.live.moved()).as("reclaimed migrated folios freed by handle").isLessThan(moved);
    var r = a.snapshot(0, new long[3], 2).reclaim();
    assertThat(r.event(ReclaimEvent.PGSTEAL_KSWAPD) + r.event(ReclaimEvent.PGSTEAL_DIRECT))
        .isPositive();
    a.deleteMapping(0, old);
    a.deleteMapping(0, file);
    assertThat(a.live.moved()).isZero();
    Invariants.check(a);
  }

  /** Boosts the zones kswapd balances and wakes it as a boosted rmqueue() would. */
  private static Zone boost(PageAllocator a) {
    Zone top = null;
    for (Zone z : a.zones) {
      if (z.managed()) {
        z.watermarkBoost = Sizes.PAGEBLOCK_NR_PAGES;
        top = z;
      }
    }
    return top;
  }

  /** A 1 GiB guest of fragmented movable memory, kswapd asleep and not hopeless. */
  private static PageAllocator fragmented() {
    Guests.Booted g = Guests.boot(KernelModel.V6_12, true, Sizes.GIB);
    PageAllocator a = g.allocator();
    CompactionTest.fragmentMovable(a);
    a.kcompactd.runIfWoken();
    assertThat(a.kcompactd.woken()).isFalse();
    // the fill to failure left kswapd hopeless (nothing to reclaim without page cache): a fresh
    // start, as after a reclaim that made progress
    a.kswapd.failures = 0;
    return a;
  }

  @Test
  void boostedKswapdRun_wakesKcompactdAtPageblockOrder_butNotWhenDrivenByATrace() {
    PageAllocator a = fragmented();
    Zone top = boost(a);
    a.kswapd.wakeup(top, 0, top.idx, false);
    a.kswapd.runIfWoken();
    assertThat(a.kcompactd.woken()).as("balance_pgdat() ended boosted").isTrue();
    assertThat(a.kcompactd.pending()[0]).isEqualTo(Sizes.PAGEBLOCK_ORDER);
    a.kcompactd.runIfWoken();
    Invariants.check(a);

    // the same guest and boost, the run driven by a trace; compaction stays on here (the replay
    // also turns it off), so only the trace-driven kswapd's own rule keeps kcompactd asleep
    PageAllocator t = fragmented();
    boost(t);
    t.kswapdWakeFromTrace();
    t.kswapdSleepFromTrace();
    assertThat(t.kcompactd.woken()).as("a traced kswapd leaves compaction to the trace").isFalse();
    for (Zone z : t.zones) {
      assertThat(z.watermarkBoost).as("the traced run dropped the boost").isZero();
    }
    Invariants.check(t);
  }
}
