package io.cvmsim.core.stats;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints snapshots in the kernel's own file formats, for an x86-64 distribution configuration
 * (NUMA, ZONE_DMA, ZONE_DMA32, ZONE_DEVICE, CMA, MEMORY_ISOLATION, ZSWAP, ZSMALLOC,
 * TRANSPARENT_HUGEPAGE, HUGETLB, MEMORY_FAILURE, UNACCEPTED_MEMORY) on one node. Counters the
 * simulator does not model (page cache, swap, reclaim, migration, THP, NUMA balancing) print 0.
 */
public final class ProcFormat {

  private ProcFormat() {}

  // ------------------------------------------------------------------ /proc/meminfo

  /**
   * Returns the meminfo fields in print order, in kB, as {@code fs/proc/meminfo.c} computes them.
   */
  public static Map<String, Long> meminfoFields(MemorySnapshot s) {
    Map<String, Long> f = new LinkedHashMap<>();
    long anon = s.movablePages();
    long sreclaimable = s.reclaimablePages();
    long sunreclaim = s.unmovablePages();
    f.put("MemTotal", kb(s.totalPages()));
    f.put("MemFree", kb(s.freePages()));
    f.put("MemAvailable", kb(s.availablePages()));
    f.put("Buffers", 0L);
    f.put("Cached", 0L);
    f.put("SwapCached", 0L);
    f.put("Active", kb(anon));
    f.put("Inactive", 0L);
    f.put("Active(anon)", kb(anon));
    f.put("Inactive(anon)", 0L);
    f.put("Active(file)", 0L);
    f.put("Inactive(file)", 0L);
    f.put("Unevictable", 0L);
    f.put("Mlocked", 0L);
    f.put("SwapTotal", 0L);
    f.put("SwapFree", 0L);
    f.put("Zswap", 0L);
    f.put("Zswapped", 0L);
    f.put("Dirty", 0L);
    f.put("Writeback", 0L);
    f.put("AnonPages", kb(anon));
    f.put("Mapped", 0L);
    f.put("Shmem", 0L);
    f.put("KReclaimable", kb(sreclaimable));
    f.put("Slab", kb(sreclaimable + sunreclaim));
    f.put("SReclaimable", kb(sreclaimable));
    f.put("SUnreclaim", kb(sunreclaim));
    f.put("KernelStack", 0L);
    f.put("PageTables", 0L);
    f.put("SecPageTables", 0L);
    f.put("NFS_Unstable", 0L);
    f.put("Bounce", 0L);
    f.put("WritebackTmp", 0L);
    f.put("CommitLimit", kb(s.totalPages() * 50 / 100));
    f.put("Committed_AS", kb(anon));
    f.put("VmallocTotal", 34359738367L);
    f.put("VmallocUsed", 0L);
    f.put("VmallocChunk", 0L);
    f.put("Percpu", kb(s.percpuPages()));
    f.put("HardwareCorrupted", 0L);
    f.put("AnonHugePages", 0L);
    f.put("ShmemHugePages", 0L);
    f.put("ShmemPmdMapped", 0L);
    f.put("FileHugePages", 0L);
    f.put("FilePmdMapped", 0L);
    f.put("CmaTotal", 0L);
    f.put("CmaFree", 0L);
    if (s.dialect().unacceptedLine()) {
      f.put("Unaccepted", kb(s.unacceptedPages()));
    }
    if (s.dialect().balloonLine()) {
      f.put("Balloon", 0L);
    }
    f.put("HugePages_Total", 0L);
    f.put("HugePages_Free", 0L);
    f.put("HugePages_Rsvd", 0L);
    f.put("HugePages_Surp", 0L);
    f.put("Hugepagesize", 2048L);
    f.put("Hugetlb", 0L);
    f.put("DirectMap4k", s.directMap()[0] >> 10);
    f.put("DirectMap2M", s.directMap()[1] >> 10);
    f.put("DirectMap1G", s.directMap()[2] >> 10);
    return f;
  }

  /** Returns /proc/meminfo. */
  public static String meminfo(MemorySnapshot s) {
    StringBuilder b = new StringBuilder(2048);
    for (Map.Entry<String, Long> e : meminfoFields(s).entrySet()) {
      String k = e.getKey();
      long v = e.getValue();
      switch (k) {
        case "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp" ->
            b.append(label(k, 19)).append(pad(v, 5)).append('\n');
        case "HardwareCorrupted" ->
            b.append("HardwareCorrupted: ").append(pad(v, 5)).append(" kB\n");
        default -> b.append(label(k, 16)).append(pad(v, 8)).append(" kB\n");
      }
    }
    return b.toString();
  }

  private static String label(String k, int width) {
    StringBuilder b = new StringBuilder(width).append(k).append(':');
    while (b.length() < width) {
      b.append(' ');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ /proc/vmstat

  private static final String[] NUMA_STATS = {
    "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
  };

  private static final String[] NODE_STATS = {
    "nr_inactive_anon",
    "nr_active_anon",
    "nr_inactive_file",
    "nr_active_file",
    "nr_unevictable",
    "nr_slab_reclaimable",
    "nr_slab_unreclaimable",
    "nr_isolated_anon",
    "nr_isolated_file",
    "workingset_nodes",
    "workingset_refault_anon",
    "workingset_refault_file",
    "workingset_activate_anon",
    "workingset_activate_file",
    "workingset_restore_anon",
    "workingset_restore_file",
    "workingset_nodereclaim",
    "nr_anon_pages",
    "nr_mapped",
    "nr_file_pages",
    "nr_dirty",
    "nr_writeback",
    "nr_writeback_temp",
    "nr_shmem",
    "nr_shmem_hugepages",
    "nr_shmem_pmdmapped",
    "nr_file_hugepages",
    "nr_file_pmdmapped",
    "nr_anon_transparent_hugepages",
    "nr_vmscan_write",
    "nr_vmscan_immediate_reclaim",
    "nr_dirtied",
    "nr_written",
    "nr_throttled_written",
    "nr_kernel_misc_reclaimable",
    "nr_foll_pin_acquired",
    "nr_foll_pin_released",
    "nr_kernel_stack",
    "nr_page_table_pages",
    "nr_sec_page_table_pages",
    "nr_swapcached",
  };

  private static final String[] ZONE_SUFFIXES = {"dma", "dma32", "normal", "movable", "device"};

  private static final String[] EVENTS_AFTER_PGFREE = {
    "pgactivate",
    "pgdeactivate",
    "pglazyfree",
    "pgfault",
    "pgmajfault",
    "pglazyfreed",
    "pgrefill",
    "pgreuse",
    "pgsteal_kswapd",
    "pgsteal_direct",
    "pgsteal_khugepaged",
    "pgscan_kswapd",
    "pgscan_direct",
    "pgscan_khugepaged",
    "pgscan_direct_throttle",
    "pgscan_anon",
    "pgscan_file",
    "pgsteal_anon",
    "pgsteal_file",
    "zone_reclaim_failed",
    "pginodesteal",
    "slabs_scanned",
    "kswapd_inodesteal",
    "kswapd_low_wmark_hit_quickly",
    "kswapd_high_wmark_hit_quickly",
    "pageoutrun",
    "pgrotated",
    "drop_pagecache",
    "drop_slab",
    "oom_kill",
    "numa_pte_updates",
    "numa_huge_pte_updates",
    "numa_hint_faults",
    "numa_hint_faults_local",
    "numa_pages_migrated",
    "pgmigrate_success",
    "pgmigrate_fail",
    "thp_migration_success",
    "thp_migration_fail",
    "thp_migration_split",
    "compact_migrate_scanned",
    "compact_free_scanned",
    "compact_isolated",
    "compact_stall",
    "compact_fail",
    "compact_success",
    "compact_daemon_wake",
    "compact_daemon_migrate_scanned",
    "compact_daemon_free_scanned",
    "htlb_buddy_alloc_success",
    "htlb_buddy_alloc_fail",
    "cma_alloc_success",
    "cma_alloc_fail",
    "unevictable_pgs_culled",
    "unevictable_pgs_scanned",
    "unevictable_pgs_rescued",
    "unevictable_pgs_mlocked",
    "unevictable_pgs_munlocked",
    "unevictable_pgs_cleared",
    "unevictable_pgs_stranded",
    "thp_fault_alloc",
    "thp_fault_fallback",
    "thp_fault_fallback_charge",
    "thp_collapse_alloc",
    "thp_collapse_alloc_failed",
    "thp_file_alloc",
    "thp_file_fallback",
    "thp_file_fallback_charge",
    "thp_file_mapped",
    "thp_split_page",
    "thp_split_page_failed",
    "thp_deferred_split_page",
    "thp_split_pmd",
    "thp_scan_exceed_none_pte",
    "thp_scan_exceed_swap_pte",
    "thp_scan_exceed_share_pte",
    "thp_split_pud",
    "thp_zero_page_alloc",
    "thp_zero_page_alloc_failed",
    "thp_swpout",
    "thp_swpout_fallback",
    "balloon_inflate",
    "balloon_deflate",
    "balloon_migrate",
    "swap_ra",
    "swap_ra_hit",
    "ksm_swpin_copy",
    "cow_ksm",
    "zswpin",
    "zswpout",
    "direct_map_level2_splits",
    "direct_map_level3_splits",
    "nr_unstable",
  };

  /** Returns the /proc/vmstat items in print order with their values. */
  public static Map<String, Long> vmstatFields(MemorySnapshot s) {
    Map<String, Long> f = new LinkedHashMap<>();
    long nrFreeBlocks = 0;
    for (ZoneSnapshot z : s.zones()) {
      for (int o = Sizes.PAGEBLOCK_ORDER; o < z.nrFree().length; o++) {
        nrFreeBlocks += z.nrFree()[o] << o;
      }
    }
    for (String name : s.dialect().zoneStats()) {
      long v =
          switch (name) {
            case "nr_free_pages" -> s.freePages();
            case "nr_free_pages_blocks" -> nrFreeBlocks;
            case "nr_zone_active_anon" -> s.movablePages();
            case "nr_unaccepted" -> s.unacceptedPages();
            default -> 0L;
          };
      f.put(name, v);
    }
    long allocs = s.allocations();
    for (String name : NUMA_STATS) {
      f.put(name, name.equals("numa_hit") || name.equals("numa_local") ? allocs : 0L);
    }
    for (String name : NODE_STATS) {
      long v =
          switch (name) {
            case "nr_active_anon", "nr_anon_pages" -> s.movablePages();
            case "nr_slab_reclaimable" -> s.reclaimablePages();
            case "nr_slab_unreclaimable" -> s.unmovablePages();
            default -> 0L;
          };
      f.put(name, v);
    }
    long dirtyable = s.freePages() - s.totalReservePages();
    f.put("nr_dirty_threshold", Math.max(0, dirtyable) * 20 / 100);
    f.put("nr_dirty_background_threshold", Math.max(0, dirtyable) * 10 / 100);
    f.put("pgpgin", 0L);
    f.put("pgpgout", 0L);
    f.put("pswpin", 0L);
    f.put("pswpout", 0L);
    for (int i = 0; i < ZONE_SUFFIXES.length; i++) {
      f.put("pgalloc_" + ZONE_SUFFIXES[i], s.zones().get(i).pgalloc());
    }
    for (String z : ZONE_SUFFIXES) {
      f.put("allocstall_" + z, 0L);
    }
    for (String z : ZONE_SUFFIXES) {
      f.put("pgskip_" + z, 0L);
    }
    f.put("pgfree", s.pgfree());
    for (String name : EVENTS_AFTER_PGFREE) {
      f.put(name, 0L);
    }
    return f;
  }

  /** Returns /proc/vmstat: one "name value" line per item. */
  public static String vmstat(MemorySnapshot s) {
    StringBuilder b = new StringBuilder(4096);
    for (Map.Entry<String, Long> e : vmstatFields(s).entrySet()) {
      b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ buddyinfo, pagetypeinfo

  /** Returns /proc/buddyinfo: free blocks per order for each populated zone. */
  public static String buddyinfo(MemorySnapshot s) {
    return perZoneOrders(s, (nrFree, o) -> String.format(Locale.ROOT, "%6d", nrFree[o]));
  }

  /** Returns /proc/pagetypeinfo (without page_owner's mixed-block section). */
  public static String pagetypeinfo(MemorySnapshot s) {
    StringBuilder b = new StringBuilder(4096);
    b.append("Page block order: ").append(Sizes.PAGEBLOCK_ORDER).append('\n');
    b.append("Pages per block:  ").append(Sizes.PAGEBLOCK_NR_PAGES).append('\n');
    b.append('\n');
    b.append(String.format(Locale.ROOT, "%-43s ", "Free pages count per migrate type at order"));
    for (int o = 0; o < Sizes.NR_ORDERS; o++) {
      b.append(String.format(Locale.ROOT, "%6d ", o));
    }
    b.append('\n');
    for (ZoneSnapshot z : s.zones()) {
      if (!z.populated()) {
        continue;
      }
      for (MigrateType mt : MigrateType.values()) {
        b.append(
            String.format(
                Locale.ROOT, "Node %4d, zone %8s, type %12s ", 0, z.name(), mt.procName()));
        for (int o = 0; o < Sizes.NR_ORDERS; o++) {
          long n = z.freeBlocks()[o][mt.ordinal()];
          boolean overflow = n >= 100000;
          b.append(
              String.format(Locale.ROOT, "%s%6d ", overflow ? ">" : "", overflow ? 100000 : n));
        }
        b.append('\n');
      }
    }
    b.append('\n').append(String.format(Locale.ROOT, "%-23s", "Number of blocks type "));
    for (MigrateType mt : MigrateType.values()) {
      b.append(String.format(Locale.ROOT, "%12s ", mt.procName()));
    }
    b.append('\n');
    for (ZoneSnapshot z : s.zones()) {
      if (!z.populated()) {
        continue;
      }
      b.append(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, z.name()));
      for (long n : z.pageblocks()) {
        b.append(String.format(Locale.ROOT, "%12d ", n));
      }
      b.append('\n');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ zoneinfo

  /** Returns the zone stat items of a zone in print order. */
  public static Map<String, Long> zoneStats(MemorySnapshot s, ZoneSnapshot z) {
    Map<String, Long> f = new LinkedHashMap<>();
    long blocks = 0;
    for (int o = Sizes.PAGEBLOCK_ORDER; o < z.nrFree().length; o++) {
      blocks += z.nrFree()[o] << o;
    }
    for (String name : s.dialect().zoneStats()) {
      long v =
          switch (name) {
            case "nr_free_pages" -> z.freePages();
            case "nr_free_pages_blocks" -> blocks;
            case "nr_unaccepted" -> z.unacceptedPages();
            default -> 0L;
          };
      f.put(name, v);
    }
    return f;
  }

  /** Returns /proc/zoneinfo for every zone of the node, populated or not. */
  public static String zoneinfo(MemorySnapshot s) {
    StringBuilder b = new StringBuilder(8192);
    boolean firstPopulated = true;
    Map<String, Long> vm = vmstatFields(s);
    for (ZoneSnapshot z : s.zones()) {
      b.append(String.format(Locale.ROOT, "Node %d, zone %8s", 0, z.name()));
      if (z.populated() && firstPopulated) {
        firstPopulated = false;
        b.append("\n  per-node stats");
        for (String name : NODE_STATS) {
          b.append(String.format(Locale.ROOT, "\n      %-12s %d", name, vm.get(name)));
        }
      }
      b.append("\n  pages free     ").append(z.freePages());
      b.append("\n        boost    ").append(z.watermarkBoost());
      b.append("\n        min      ").append(z.wmark(0));
      b.append("\n        low      ").append(z.wmark(1));
      b.append("\n        high     ").append(z.wmark(2));
      if (s.dialect().promoLine()) {
        b.append("\n        promo    ").append(z.wmark(3));
      }
      b.append("\n        spanned  ").append(z.spannedPages());
      b.append("\n        present  ").append(z.presentPages());
      b.append("\n        managed  ").append(z.managedPages());
      b.append("\n        cma      ").append(0);
      b.append("\n        protection: (").append(z.lowmemReserve()[0]);
      for (int i = 1; i < z.lowmemReserve().length; i++) {
        b.append(", ").append(z.lowmemReserve()[i]);
      }
      b.append(')');
      if (!z.populated()) {
        b.append('\n');
        continue;
      }
      for (Map.Entry<String, Long> e : zoneStats(s, z).entrySet()) {
        b.append(String.format(Locale.ROOT, "\n      %-12s %d", e.getKey(), e.getValue()));
      }
      for (String name : NUMA_STATS) {
        long v = name.equals("numa_hit") || name.equals("numa_local") ? z.pgalloc() : 0;
        b.append(String.format(Locale.ROOT, "\n      %-12s %d", name, v));
      }
      b.append("\n  pagesets");
      int batch = Math.max(1, zoneBatchsize(z.managedPages()));
      long high = Math.max(z.wmark(1) / Math.max(1, s.vcpus()), (long) batch << 2);
      int threshold = normalThreshold(z.managedPages(), s.vcpus());
      for (int cpu = 0; cpu < s.vcpus(); cpu++) {
        b.append("\n    cpu: ").append(cpu);
        b.append("\n              count: 0");
        b.append("\n              high:  ").append(high);
        b.append("\n              batch: ").append(batch);
        b.append("\n  vm stats threshold: ").append(threshold);
      }
      b.append("\n  node_unreclaimable:  0");
      b.append("\n  start_pfn:           ").append(z.startPfn());
      b.append('\n');
    }
    return b.toString();
  }

  /** Models {@code zone_batchsize()}. */
  static int zoneBatchsize(long managedPages) {
    long batch = Math.min(managedPages >> 10, Sizes.MIB / Sizes.PAGE_SIZE);
    batch /= 4;
    if (batch < 1) {
      batch = 1;
    }
    long v = batch + batch / 2;
    return (int) (Long.highestOneBit(v) - 1);
  }

  /** Models {@code calculate_normal_threshold()}. */
  static int normalThreshold(long managedPages, int cpus) {
    long mem = managedPages >> (27 - Sizes.PAGE_SHIFT);
    int threshold = 2 * fls(cpus) * (1 + fls(mem));
    return Math.min(125, threshold);
  }

  private static int fls(long x) {
    return 64 - Long.numberOfLeadingZeros(x);
  }

  // ------------------------------------------------------------------ debugfs extfrag

  /** Returns debugfs extfrag/extfrag_index. */
  public static String extfragIndex(MemorySnapshot s) {
    return perZoneOrders(
        s, (nrFree, o) -> Fragmentation.format(Fragmentation.fragmentationIndex(nrFree, o), true));
  }

  /** Returns debugfs extfrag/unusable_index. */
  public static String unusableIndex(MemorySnapshot s) {
    return perZoneOrders(
        s, (nrFree, o) -> Fragmentation.format(Fragmentation.unusableIndex(nrFree, o), false));
  }

  /** Prints one "Node 0, zone %8s " line per populated zone with a value per order. */
  private static String perZoneOrders(MemorySnapshot s, OrderValue value) {
    StringBuilder b = new StringBuilder(512);
    for (ZoneSnapshot z : s.zones()) {
      if (!z.populated()) {
        continue;
      }
      b.append(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, z.name()));
      for (int o = 0; o < Sizes.NR_ORDERS; o++) {
        b.append(value.at(z.nrFree(), o)).append(' ');
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Formats the value of one order of a zone. */
  @FunctionalInterface
  private interface OrderValue {
    String at(long[] nrFree, int order);
  }

  private static long kb(long pages) {
    return pages << (Sizes.PAGE_SHIFT - 10);
  }

  private static String pad(long v, int width) {
    String s = Long.toString(v);
    if (s.length() >= width) {
      return s;
    }
    return " ".repeat(width - s.length()) + s;
  }
}
