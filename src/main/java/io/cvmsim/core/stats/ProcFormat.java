package io.cvmsim.core.stats;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints snapshots in the kernel's own file formats, for an x86-64 distribution configuration
 * (NUMA, ZONE_DMA, ZONE_DMA32, ZONE_DEVICE, CMA, MEMORY_ISOLATION, ZSWAP, ZSMALLOC,
 * TRANSPARENT_HUGEPAGE, HUGETLB, MEMORY_FAILURE, UNACCEPTED_MEMORY) on one node. Counters the
 * simulator does not model (swap, mapped pages, migration, THP, NUMA balancing) print 0. Movable
 * pages allocated outside the page cache and anonymous mappings (the API's allocations, replayed
 * traces) count as active anonymous memory, as they did before the LRU lists were modeled.
 */
public final class ProcFormat {

  private ProcFormat() {}

  // ------------------------------------------------------------------ /proc/meminfo

  /**
   * Returns the meminfo fields in print order, in kB, as {@code fs/proc/meminfo.c} computes them;
   * which fields there are is the kernel's {@link ProcDialect}. Memory the simulator does not model
   * (swap, hugetlb, mapped pages) prints 0.
   */
  public static Map<String, Long> meminfoFields(MemorySnapshot s) {
    Map<String, Long> f = new LinkedHashMap<>();
    for (String name : s.dialect().meminfo()) {
      f.put(name, meminfoValue(s, name));
    }
    return f;
  }

  private static long meminfoValue(MemorySnapshot s, String name) {
    ReclaimStats r = s.reclaim();
    long sreclaimable = s.reclaimablePages();
    long sunreclaim = s.unmovablePages();
    return switch (name) {
      case "MemTotal" -> kb(s.totalPages());
      case "MemFree" -> kb(s.freePages());
      case "MemAvailable" -> kb(s.availablePages());
      case "Cached" -> kb(r.filePages());
      case "Active" -> kb(r.activeAnon() + r.activeFile());
      case "Inactive" -> kb(r.inactiveAnon() + r.inactiveFile());
      case "Active(anon)" -> kb(r.activeAnon());
      case "Inactive(anon)" -> kb(r.inactiveAnon());
      case "Active(file)" -> kb(r.activeFile());
      case "Inactive(file)" -> kb(r.inactiveFile());
      case "Dirty" -> kb(r.dirtyPages());
      case "Writeback" -> kb(r.writebackPages());
      case "AnonPages" -> kb(r.anonymous());
      case "Shmem" -> kb(r.shmemPages());
      case "Committed_AS" -> kb(r.anonymous() + r.shmemPages());
      case "KReclaimable", "SReclaimable" -> kb(sreclaimable);
      case "Slab" -> kb(sreclaimable + sunreclaim);
      case "SUnreclaim" -> kb(sunreclaim);
      case "CommitLimit" -> kb(s.totalPages() * 50 / 100);
      case "VmallocTotal" -> 34359738367L;
      case "Percpu" -> kb(s.percpuPages());
      case "Unaccepted" -> kb(s.unacceptedPages());
      case "Hugepagesize" -> 2048L;
      case "DirectMap4k" -> s.directMap()[0] >> 10;
      case "DirectMap2M" -> s.directMap()[1] >> 10;
      case "DirectMap1G" -> s.directMap()[2] >> 10;
      default -> 0L;
    };
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

  /**
   * Returns the /proc/vmstat items in print order with their values; which items there are is the
   * kernel's {@link ProcDialect}. Counters of what the simulator does not model print 0.
   */
  public static Map<String, Long> vmstatFields(MemorySnapshot s) {
    Map<String, Long> f = new LinkedHashMap<>();
    for (String name : s.dialect().vmstat()) {
      f.put(name, vmstatValue(s, name));
    }
    return f;
  }

  private static long vmstatValue(MemorySnapshot s, String name) {
    if (name.startsWith("pgalloc_")) {
      ZoneSnapshot z = zoneBySuffix(s, name.substring("pgalloc_".length()));
      return z == null ? 0 : z.pgalloc();
    }
    long compaction = s.compaction().vmstat(name);
    if (compaction >= 0) {
      return compaction;
    }
    if (name.startsWith("allocstall_")) {
      ZoneSnapshot z = zoneBySuffix(s, name.substring("allocstall_".length()));
      return z == null ? 0 : s.reclaim().allocstall()[z.index()];
    }
    ReclaimStats r = s.reclaim();
    ReclaimEvent event = ReclaimEvent.ofVmstatName(name);
    if (event != null) {
      return r.event(event);
    }
    return switch (name) {
      case "nr_free_pages" -> s.freePages();
      case "nr_free_pages_blocks" -> freeBlockPages(s.zones());
      case "nr_zone_inactive_anon", "nr_inactive_anon" -> r.inactiveAnon();
      case "nr_zone_active_anon", "nr_active_anon" -> r.activeAnon();
      case "nr_zone_inactive_file", "nr_inactive_file" -> r.inactiveFile();
      case "nr_zone_active_file", "nr_active_file" -> r.activeFile();
      case "nr_zone_write_pending" -> r.dirtyPages() + r.writebackPages();
      case "nr_anon_pages" -> r.anonymous();
      case "nr_file_pages" -> r.filePages();
      case "nr_dirty" -> r.dirtyPages();
      case "nr_writeback" -> r.writebackPages();
      case "nr_shmem" -> r.shmemPages();
      case "nr_unaccepted" -> s.unacceptedPages();
      case "nr_slab_reclaimable" -> s.reclaimablePages();
      case "nr_slab_unreclaimable" -> s.unmovablePages();
      case "numa_hit", "numa_local" -> s.allocations();
      case "nr_dirty_threshold" -> r.dirtyThreshold();
      case "nr_dirty_background_threshold" -> r.backgroundThreshold();
      case "pgfree" -> s.pgfree();
      default -> 0L;
    };
  }

  private static ZoneSnapshot zoneBySuffix(MemorySnapshot s, String suffix) {
    for (ZoneSnapshot z : s.zones()) {
      if (z.name().toLowerCase(Locale.ROOT).equals(suffix)) {
        return z;
      }
    }
    return null;
  }

  private static long freeBlockPages(Iterable<ZoneSnapshot> zones) {
    long n = 0;
    for (ZoneSnapshot z : zones) {
      for (int o = Sizes.PAGEBLOCK_ORDER; o < z.nrFree().length; o++) {
        n += z.nrFree()[o] << o;
      }
    }
    return n;
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
    return perZoneOrders(
        freeBlocks(s), (nrFree, o) -> String.format(Locale.ROOT, "%6d", nrFree[o]));
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
      for (MigrateType mt : types(s)) {
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
    for (MigrateType mt : types(s)) {
      b.append(String.format(Locale.ROOT, "%12s ", mt.procName()));
    }
    b.append('\n');
    for (ZoneSnapshot z : s.zones()) {
      if (!z.populated()) {
        continue;
      }
      b.append(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, z.name()));
      for (MigrateType mt : types(s)) {
        b.append(String.format(Locale.ROOT, "%12d ", z.pageblocks()[mt.ordinal()]));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Returns the migrate types the kernel's pagetypeinfo lists, in its order. */
  private static List<MigrateType> types(MemorySnapshot s) {
    List<MigrateType> out = new ArrayList<>();
    for (String name : s.dialect().pagetypes()) {
      out.add(MigrateType.ofProcName(name));
    }
    return out;
  }

  // ------------------------------------------------------------------ zoneinfo

  /** Returns the zone's counters in print order (zone stats, then NUMA stats). */
  public static Map<String, Long> zoneStats(MemorySnapshot s, ZoneSnapshot z) {
    Map<String, Long> f = new LinkedHashMap<>();
    for (String name : s.dialect().zoneStats()) {
      long v =
          switch (name) {
            case "nr_free_pages" -> z.freePages();
            case "nr_free_pages_blocks" -> freeBlockPages(java.util.List.of(z));
            case "nr_zone_inactive_anon" -> z.lruPages()[0];
            case "nr_zone_active_anon" -> z.lruPages()[1];
            case "nr_zone_inactive_file" -> z.lruPages()[2];
            case "nr_zone_active_file" -> z.lruPages()[3];
            case "nr_zone_write_pending" -> z.writePendingPages();
            case "nr_unaccepted" -> z.unacceptedPages();
            case "numa_hit", "numa_local" -> z.pgalloc();
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
    for (ZoneSnapshot z : s.zones()) {
      b.append(String.format(Locale.ROOT, "Node %d, zone %8s", 0, z.name()));
      if (z.populated() && firstPopulated) {
        firstPopulated = false;
        b.append("\n  per-node stats");
        for (String name : s.dialect().nodeStats()) {
          b.append(String.format(Locale.ROOT, "\n      %-12s %d", name, vmstatValue(s, name)));
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
      b.append("\n  pagesets");
      int threshold = normalThreshold(z.managedPages(), s.vcpus());
      for (int cpu = 0; cpu < z.pagesets().length; cpu++) {
        int[] p = z.pagesets()[cpu];
        b.append("\n    cpu: ").append(cpu);
        b.append("\n              count: ").append(p[0]);
        b.append("\n              high:  ").append(p[1]);
        b.append("\n              batch: ").append(p[2]);
        b.append("\n  vm stats threshold: ").append(threshold);
      }
      b.append("\n  node_unreclaimable:  0");
      b.append("\n  start_pfn:           ").append(z.startPfn());
      b.append('\n');
    }
    return b.toString();
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
    return extfragIndex(freeBlocks(s));
  }

  /** Returns debugfs extfrag/unusable_index. */
  public static String unusableIndex(MemorySnapshot s) {
    return unusableIndex(freeBlocks(s));
  }

  /**
   * Returns debugfs extfrag/extfrag_index for zones' free blocks per order (by zone name, in zone
   * order, as /proc/buddyinfo lists them).
   */
  public static String extfragIndex(Map<String, long[]> zones) {
    return perZoneOrders(
        zones,
        (nrFree, o) -> Fragmentation.format(Fragmentation.fragmentationIndex(nrFree, o), true));
  }

  /** Returns debugfs extfrag/unusable_index for zones' free blocks per order. */
  public static String unusableIndex(Map<String, long[]> zones) {
    return perZoneOrders(
        zones, (nrFree, o) -> Fragmentation.format(Fragmentation.unusableIndex(nrFree, o), false));
  }

  private static Map<String, long[]> freeBlocks(MemorySnapshot s) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (ZoneSnapshot z : s.zones()) {
      if (z.populated()) {
        out.put(z.name(), z.nrFree());
      }
    }
    return out;
  }

  /** Prints one "Node 0, zone %8s " line per zone with a value per order. */
  private static String perZoneOrders(Map<String, long[]> zones, OrderValue value) {
    StringBuilder b = new StringBuilder(512);
    for (Map.Entry<String, long[]> z : zones.entrySet()) {
      b.append(String.format(Locale.ROOT, "Node %d, zone %8s ", 0, z.getKey()));
      for (int o = 0; o < Sizes.NR_ORDERS; o++) {
        b.append(value.at(z.getValue(), o)).append(' ');
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
