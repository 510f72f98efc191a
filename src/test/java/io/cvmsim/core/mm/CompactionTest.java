package io.cvmsim.core.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import org.junit.jupiter.api.Test;

/** Compaction on small zones: the scanners, direct compaction, deferral, suitability. */
class CompactionTest {

  /** Fills the guest with movable pages and frees every other one: no free pageblock is left. */
  static long[] fragmentMovable(PageAllocator a) {
    long[] held = new long[1 << 20];
    int n = 0;
    while (n < held.length) {
      long h = a.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
      if (h < 0) {
        break;
      }
      held[n++] = h;
    }
    long[] kept = new long[(n + 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if ((i & 1) == 0) {
        a.freePages(0, held[i]);
      } else {
        kept[k++] = held[i];
      }
    }
    a.pcp.drainAll();
    // whole pageblocks left above the watermarks go to THPs that may not compact
    while (a.allocPages(0, Gfp.GFP_TRANSHUGE_LIGHT, Sizes.PAGEBLOCK_ORDER) >= 0) {
      // keep taking
    }
    return java.util.Arrays.copyOf(kept, k);
  }

  static long freeBlocksAtLeast(PageAllocator a, int order) {
    long n = 0;
    // DMA keeps its free pageblocks: lowmem_reserve protects it from these requests
    for (int z = 1; z < io.cvmsim.core.memory.ZoneType.POPULATABLE; z++) {
      for (int o = order; o <= Sizes.MAX_ORDER; o++) {
        n += a.buddy.free.nrFree(z, o);
      }
    }
    return n;
  }

  @Test
  void thpRequest_onFragmentedMovableMemory_isSatisfiedByDirectCompaction_inEveryModel() {
    for (KernelModel k : KernelModel.values()) {
      Guests.Booted g = Guests.boot(k, true, 256 * Sizes.MIB);
      PageAllocator a = g.allocator();
      long[] kept = fragmentMovable(a);
      assertThat(freeBlocksAtLeast(a, Sizes.PAGEBLOCK_ORDER)).as(k + " no free pageblock").isZero();
      long before = a.vmstat.pgmigrateSuccess;
      long thp = a.allocPages(0, Gfp.GFP_TRANSHUGE, Sizes.PAGEBLOCK_ORDER);
      assertThat(thp).as(k + ": the THP after compaction").isNotNegative();
      assertThat(a.vmstat.compactStall).as(k + " stalls").isPositive();
      assertThat(a.vmstat.compactSuccess).as(k + " successes").isPositive();
      assertThat(a.vmstat.pgmigrateSuccess - before).as(k + " migrated").isPositive();
      assertThat(a.live.moved()).as(k + " allocations that moved").isPositive();
      Invariants.check(a);
      // every kept page is still reachable by its handle, wherever it went
      for (long h : kept) {
        assertThat(a.freePages(1, h)).isZero();
      }
      a.freePages(0, thp);
      assertThat(a.live.size()).isEqualTo(0 + a.liveAllocations());
      Invariants.check(a);
    }
  }

  // ------------------------------------------------------------------ deferral

  /**
   * defer_compaction() / compaction_deferred() / compaction_defer_reset(), mm/compaction.c at v6.1
   * and v6.12 alike: after the n-th failure in a row the next 2^n - 1 attempts at that order or
   * above are skipped, n at most COMPACT_MAX_DEFER_SHIFT (6); lower orders are never deferred; a
   * success starts over.
   */
  @Test
  void deferral_backsOffExponentially_upTo64_andResetsOnSuccess() {
    Guests.Booted g = Guests.boot(KernelModel.V6_12, true, 256 * Sizes.MIB);
    PageAllocator a = g.allocator();
    Zone z = a.zones[io.cvmsim.core.memory.ZoneType.DMA32.ordinal()];
    CompactionDefer d = a.defer;
    assertThat(d.deferred(z, 9)).as("nothing failed yet").isFalse();
    // compact_order_failed starts at 0 (every order may be deferred); a success at order 8 raises
    // it to 9
    d.reset(z, 8, true);
    assertThat(z.compaction.orderFailed).isEqualTo(9);
    for (int failures = 1; failures <= 8; failures++) {
      d.defer(z, 9);
      int shift = Math.min(failures, CompactionDefer.MAX_DEFER_SHIFT);
      assertThat(z.compaction.deferShift).isEqualTo(shift);
      int skipped = 0;
      while (d.deferred(z, 9)) {
        skipped++;
        assertThat(d.deferred(z, 8)).as("an order below the failed one").isFalse();
      }
      assertThat(skipped)
          .as("attempts skipped after failure " + failures)
          .isEqualTo((1 << shift) - 1);
    }
    assertThat(CompactionDefer.restarting(z, 9)).isTrue();
    d.reset(z, 9, true);
    assertThat(z.compaction.deferShift).isZero();
    assertThat(z.compaction.orderFailed).isEqualTo(10);
    assertThat(d.deferred(z, 9)).isFalse();
    Invariants.check(a);
  }

  // ------------------------------------------------------------------ suitability

  /**
   * compaction_suitable() (mm/compaction.c, v6.1 and v6.12): a costly order is compacted only if
   * the order-0 watermark plus compact_gap() holds and the fragmentation index (mm/vmstat.c) is
   * above vm.extfrag_threshold (500): the failure is fragmentation, not lack of memory.
   */
  @Test
  void suitability_followsTheWatermarkGap_andTheFragmentationIndex() {
    for (KernelModel k : new KernelModel[] {KernelModel.V6_1, KernelModel.V6_12}) {
      Guests.Booted g = Guests.boot(k, true, 256 * Sizes.MIB);
      PageAllocator a = g.allocator();
      Zone z = a.zones[io.cvmsim.core.memory.ZoneType.DMA32.ordinal()];
      int top = io.cvmsim.core.memory.ZoneType.DMA32.ordinal();
      // just booted: free pageblocks exist, the index says "a block of this order is free"
      assertThat(a.compaction.fragmentationIndex(z, 9)).isEqualTo(-1000);
      assertThat(a.compaction.suitable(z, 9, top)).as(k + " fresh").isTrue();
      fragmentMovable(a);
      int index = a.compaction.fragmentationIndex(z, 9);
      assertThat(index).as(k + " fragmented: the index is high").isGreaterThan(500);
      assertThat(a.compaction.suitable(z, 9, top)).as(k + " fragmented").isTrue();
      a.sysctls.extfragThreshold = index;
      assertThat(a.compaction.suitable(z, 9, top)).as(k + " index at the threshold").isFalse();
      assertThat(a.compaction.suitable(z, 3, top)).as(k + " not costly: no index").isTrue();
      a.sysctls.extfragThreshold = 500;
      // take every free page: no room for compact_gap()
      while (a.allocPages(0, Gfp.GFP_ATOMIC, 0) >= 0) {
        // keep taking
      }
      assertThat(a.compaction.suitable(z, 9, top)).as(k + " no free memory").isFalse();
      Invariants.check(a);
    }
  }

  // ------------------------------------------------------------------ kernel differences

  /**
   * Which folios the migrate scanner takes: none above order 0 before "mm/compaction: enable
   * compacting >0 order folios" (v6.9; mm/compaction.c at v6.1 skips PageCompound pages), then
   * every folio smaller than the target order and a pageblock (skip_isolation_on_order() in
   * mm/compaction.c at v6.12).
   */
  @Test
  void migratesFolio_onlyFromV69_andBelowTheTargetOrder() {
    assertThat(KernelModel.V6_1.rules.migratesFolio(2, 9)).isFalse();
    assertThat(KernelModel.V6_5.rules.migratesFolio(2, 9)).isFalse();
    for (KernelModel k : new KernelModel[] {KernelModel.V6_12, KernelModel.MAINLINE}) {
      assertThat(k.rules.migratesFolio(2, 9)).as(k + " order 2 for 9").isTrue();
      assertThat(k.rules.migratesFolio(3, 3)).as(k + " as large as the target").isFalse();
      assertThat(k.rules.migratesFolio(4, -1)).as(k + " whole-zone pass").isTrue();
      assertThat(k.rules.migratesFolio(9, -1)).as(k + " a pageblock").isFalse();
      assertThat(k.rules.compactionFreepages()).isEqualTo(CompactionFreepages.Layout.BY_ORDER);
    }
    assertThat(KernelModel.V6_1.rules.compactionFreepages())
        .isEqualTo(CompactionFreepages.Layout.SPLIT);
  }

  /**
   * test_and_set_skip(): v6.1's mm/compaction.c sets the pageblock's skip hint only when the first
   * page isolated is pageblock aligned; from v6.5 whenever the scan started at the block's start.
   */
  @Test
  void skipHint_fromTheBlockStart_fromV65() {
    assertThat(KernelModel.V6_1.rules.skipHintFromBlockStart()).isFalse();
    assertThat(KernelModel.V6_5.rules.skipHintFromBlockStart()).isTrue();
    assertThat(KernelModel.V6_12.rules.skipHintFromBlockStart()).isTrue();
  }

  /**
   * proactive_compact_node() counts compact_daemon_migrate_scanned and compact_daemon_free_scanned
   * from v6.3 (mm/compaction.c at v6.12; not at v6.1, where the recorded 6.1 workloads end with
   * both 0 after kcompactd ran).
   */
  @Test
  void proactiveCompaction_countsDaemonScans_fromV63() {
    for (KernelModel k : new KernelModel[] {KernelModel.V6_1, KernelModel.V6_12}) {
      Guests.Booted g = Guests.boot(k, true, 256 * Sizes.MIB);
      PageAllocator a = g.allocator();
      fragmentMovable(a);
      assertThat(a.compaction.shouldProactiveCompactNode()).as(k + " score high").isTrue();
      int before = a.compaction.fragmentationScoreNode();
      assertThat(a.kcompactdTimeout()).as(k + " a proactive pass").isTrue();
      assertThat(a.compaction.fragmentationScoreNode()).as(k + " score").isLessThan(before);
      assertThat(a.vmstat.pgmigrateSuccess).as(k + " migrated").isPositive();
      if (k == KernelModel.V6_1) {
        assertThat(a.vmstat.kcompactdMigrateScanned).isZero();
      } else {
        assertThat(a.vmstat.kcompactdMigrateScanned).isPositive();
        assertThat(a.vmstat.kcompactdFreeScanned).isPositive();
      }
      Invariants.check(a);
    }
  }

  /** With vm.compaction_proactiveness 0 kcompactd sleeps without a timeout: no proactive pass. */
  @Test
  void proactiveCompaction_offAtProactivenessZero() {
    Guests.Booted g = Guests.boot(KernelModel.V6_12, true, 256 * Sizes.MIB);
    PageAllocator a = g.allocator();
    fragmentMovable(a);
    a.sysctls.compactionProactiveness = 0;
    assertThat(a.kcompactdTimeout()).isFalse();
    assertThat(a.vmstat.pgmigrateSuccess).isZero();
  }

  // ------------------------------------------------------------------ direct compaction rules

  /**
   * A THP fault's first attempt (GFP_TRANSHUGE_LIGHT under defrag "madvise", not madvised) may not
   * reclaim, so __alloc_pages_slowpath() never compacts for it: it fails on fragmented memory.
   */
  @Test
  void thpLight_doesNotCompact() {
    Guests.Booted g = Guests.boot(KernelModel.V6_12, true, 256 * Sizes.MIB);
    PageAllocator a = g.allocator();
    fragmentMovable(a);
    assertThat(a.allocPages(0, Gfp.GFP_TRANSHUGE_LIGHT, Sizes.PAGEBLOCK_ORDER)).isNegative();
    assertThat(a.vmstat.compactStall).isZero();
    assertThat(a.vmstat.pgmigrateSuccess).isZero();
  }

  /** With the allocator's own compaction off (a trace replay), nothing compacts. */
  @Test
  void compactionDisabled_failsWithoutCompacting() {
    Guests.Booted g = Guests.boot(KernelModel.V6_12, true, 256 * Sizes.MIB);
    PageAllocator a = g.allocator();
    fragmentMovable(a);
    a.setCompactionEnabled(false);
    assertThat(a.allocPages(0, Gfp.GFP_TRANSHUGE, Sizes.PAGEBLOCK_ORDER)).isNegative();
    assertThat(a.vmstat.compactStall).isZero();
    a.setCompactionEnabled(true);
    assertThat(a.allocPages(0, Gfp.GFP_TRANSHUGE, Sizes.PAGEBLOCK_ORDER)).isNotNegative();
    assertThat(a.vmstat.compactStall).isPositive();
  }

  /**
   * /proc/sys/vm/compact_memory: every zone compacted whole; /proc/vmstat prints the counters and
   * /proc/pagetypeinfo shows free pageblocks again.
   */
  @Test
  void compactMemory_showsInVmstatAndPagetypeinfo() {
    Guests.Booted g = Guests.boot(KernelModel.V6_1, true, Sizes.GIB);
    PageAllocator a = g.allocator();
    fragmentMovable(a);
    long blocksBefore = freeBlocksAtLeast(a, Sizes.PAGEBLOCK_ORDER);
    a.compactMemory(0);
    assertThat(freeBlocksAtLeast(a, Sizes.PAGEBLOCK_ORDER)).isGreaterThan(blocksBefore);
    var s = g.memory();
    var vmstat = io.cvmsim.core.stats.ProcFormat.vmstatFields(s);
    assertThat(vmstat.get("pgmigrate_success")).isPositive();
    assertThat(vmstat.get("compact_migrate_scanned")).isPositive();
    assertThat(vmstat.get("compact_free_scanned")).isPositive();
    assertThat(vmstat.get("compact_isolated"))
        .isGreaterThanOrEqualTo(vmstat.get("pgmigrate_success"));
    assertThat(vmstat.get("compact_stall")).as("not a direct compaction").isZero();
    assertThat(s.compaction().events().get("mm_compaction_begin")).isPositive();
    String pti = io.cvmsim.core.stats.ProcFormat.pagetypeinfo(s);
    assertThat(pti).contains("Movable");
    assertThat(freeOrder10Movable(s)).isPositive();
    Invariants.check(a);
  }

  private static long freeOrder10Movable(io.cvmsim.core.stats.MemorySnapshot s) {
    long n = 0;
    for (var z : s.zones()) {
      if (z.populated()) {
        n += z.nrFree()[Sizes.MAX_ORDER] + z.nrFree()[Sizes.MAX_ORDER - 1];
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ property

  /**
   * Random allocations and frees of every order and kind, THP faults that compact, kcompactd
   * timeouts and compact_memory, with the invariants after every step: every handle frees the order
   * it was allocated with, wherever its block went.
   */
  @Test
  void randomOperations_keepInvariants_andHandles() {
    for (KernelModel k : new KernelModel[] {KernelModel.V6_1, KernelModel.MAINLINE}) {
      Guests.Booted g = Guests.boot(k, true, 128 * Sizes.MIB);
      PageAllocator a = g.allocator();
      int bootAllocations = a.live.size();
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
      long[] handles = new long[1 << 16];
      int[] orders = new int[handles.length];
      int n = 0;
      Gfp[] masks = {Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL_RECLAIMABLE};
      for (int step = 0; step < 250; step++) {
        int r = rnd.nextInt(100);
        if (r < 2) {
          a.compactMemory(rnd.nextInt(a.cpus()));
        } else if (r < 4) {
          a.kcompactdTimeout();
        } else if (r < 55 || n == 0) {
          // a burst of allocations, mostly movable order-0, so memory fills and fragments
          for (int i = 0; i < 200 && n < handles.length; i++) {
            boolean thp = i == 0 && rnd.nextInt(4) == 0;
            Gfp gfp =
                thp
                    ? Gfp.GFP_TRANSHUGE
                    : masks[rnd.nextInt(10) < 7 ? 0 : rnd.nextInt(masks.length)];
            int order = thp ? Sizes.PAGEBLOCK_ORDER : rnd.nextInt(4);
            long h = a.allocPages(rnd.nextInt(a.cpus()), gfp, order);
            if (h >= 0) {
              assertThat(a.allocationOrder(h)).isEqualTo(order);
              handles[n] = h;
              orders[n++] = order;
            }
          }
        } else {
          for (int i = 0; i < 150 && n > 0; i++) {
            int j = rnd.nextInt(n);
            assertThat(a.freePages(rnd.nextInt(a.cpus()), handles[j])).isEqualTo(orders[j]);
            handles[j] = handles[--n];
            orders[j] = orders[n];
          }
        }
        Invariants.check(a);
      }
      assertThat(a.vmstat.pgmigrateSuccess).as(k + " something migrated").isPositive();
      for (int j = 0; j < n; j++) {
        assertThat(a.freePages(0, handles[j])).isEqualTo(orders[j]);
      }
      assertThat(a.live.size()).isEqualTo(bootAllocations);
      Invariants.check(a);
    }
  }
}
