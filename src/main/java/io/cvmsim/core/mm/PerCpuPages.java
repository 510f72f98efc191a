package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;

/**
 * Models the per-cpu page lists of mm/page_alloc.c: every CPU keeps, per zone, a cache of free
 * blocks of the orders up to PAGE_ALLOC_COSTLY_ORDER and of the THP order ({@link Pageset}).
 * Allocations of those orders take from the cache ({@code rmqueue_pcplist()}), refilling it from
 * the buddy lists in bulk when it is empty ({@code rmqueue_bulk()}, each block an {@code
 * mm_page_alloc_zone_locked} event); frees put blocks into the cache ({@code free_unref_page()})
 * and, when it passes high, send blocks back to the buddy lists in bulk ({@code
 * free_pcppages_bulk()}, each an {@code mm_page_pcpu_drain} event). Pages in the caches are neither
 * free in the buddy lists nor counted in NR_FREE_PAGES, so the watermark checks and
 * accept-on-demand see what the kernel sees. How high and the bulk sizes follow the workload is the
 * kernel's {@link PcpPolicy}.
 *
 * <p>Not thread safe: the owning VM serializes every call, as the pcp lock and the zone lock do.
 */
final class PerCpuPages {

  private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
  private static final int LOW = WatermarkLevel.LOW.ordinal();
  private static final int HIGH = WatermarkLevel.HIGH.ordinal();
  private static final int MOVABLE_ZONE = ZoneType.MOVABLE.ordinal();

  private final Zone[] zones;
  private final Pageset[][] sets;
  private final PcpPolicy policy;
  private final Buddy buddy;
  private final FallbackPolicy fallback;
  private final Vmstat vmstat;
  private final WatermarkCheck check;
  private final int cpus;

  PerCpuPages(
      int cpus,
      Zone[] zones,
      PcpPolicy policy,
      Buddy buddy,
      FallbackPolicy fallback,
      Vmstat vmstat,
      WatermarkCheck check) {
    this.cpus = cpus;
    this.check = check;
    this.zones = zones;
    this.policy = policy;
    this.buddy = buddy;
    this.fallback = fallback;
    this.vmstat = vmstat;
    this.sets = new Pageset[cpus][zones.length];
    for (int c = 0; c < cpus; c++) {
      for (Zone z : zones) {
        Pageset p = new Pageset(policy.lists());
        // the boot pageset: high 0, batch 1 — every block goes straight through
        p.batch = 1;
        sets[c][z.idx] = p;
      }
    }
  }

  /** Returns the number of CPUs. */
  int cpus() {
    return cpus;
  }

  /** Models {@code pcp_allowed_order()}: orders up to the costly order, and THP's. */
  static boolean allowedOrder(int order) {
    return order <= Pageset.COSTLY_ORDER || order == Sizes.PAGEBLOCK_ORDER;
  }

  /** Returns one CPU's pageset of a zone. */
  Pageset pageset(int cpu, Zone z) {
    return sets[cpu][z.idx];
  }

  /** Returns the pages on all CPUs' lists of a zone. */
  long pages(Zone z) {
    long n = 0;
    for (int c = 0; c < cpus; c++) {
      n += sets[c][z.idx].count;
    }
    return n;
  }

  /**
   * Models {@code zone_pcp_update()} for every zone: batch from the managed pages, high from the
   * low watermark (and, adaptively, the zone size), split over the CPUs.
   */
  void update() {
    for (Zone z : zones) {
      int batch = Math.max(1, PcpPolicy.zoneBatchsize(z.managedPages));
      for (int c = 0; c < cpus; c++) {
        policy.setHighAndBatch(sets[c][z.idx], z.wmark(LOW), z.managedPages, cpus, batch);
      }
    }
  }

  /**
   * Models {@code rmqueue_pcplist()}: the first block of the CPU's list for this order and type,
   * refilling the list from the buddy lists first if it is empty. Returns the block, or -1 if the
   * buddy lists had none to give.
   */
  long rmqueue(int cpu, Zone z, int order, int mt, int allocFlags) {
    Pageset p = sets[cpu][z.idx];
    policy.onAlloc(p);
    int i = policy.pindex(mt, order);
    if (p.size(i) == 0) {
      int n = policy.refillCount(p, z.belowHigh, order);
      BuddyLists lists = buddy.lists(z);
      for (int k = 0; k < n; k++) {
        long pfn = fallback.rmqueue(lists, order, mt, allocFlags);
        if (pfn < 0) {
          break;
        }
        z.nrFreePages -= 1L << order;
        vmstat.zoneLocked++;
        p.addTail(i, Pageset.pack(pfn, mt));
        p.count += 1 << order;
      }
      if (p.size(i) == 0) {
        return -1;
      }
    }
    p.count -= 1 << order;
    return Pageset.pfnOf(p.takeHead(i));
  }

  /**
   * Models {@code free_unref_page()} and {@code free_unref_page_commit()}: the block goes to the
   * head of the CPU's list for its pageblock's type (highatomic blocks to the movable list, keeping
   * their type for the way back); when the list count passes high, blocks go back to the buddy
   * lists.
   */
  void free(int cpu, Zone z, long pfn, int order, int pageblockType) {
    Pageset p = sets[cpu][z.idx];
    int listType = pageblockType < MigrateType.PCPTYPES ? pageblockType : MOVABLE;
    int i = policy.pindex(listType, order);
    p.addHead(i, Pageset.pack(pfn, pageblockType));
    p.count += 1 << order;
    vmstat.pgfree += 1L << order;
    boolean freeHigh = policy.freeHigh(p, order);
    policy.onFree(p, order);
    int high = policy.high(p, freeHigh, z.reclaimActive, z.belowHigh);
    if (p.count >= high) {
      freeBulk(p, z, policy.freeCount(p, high, freeHigh), i);
      if (z.belowHigh && check.ok(z, 0, z.wmark(HIGH), MOVABLE_ZONE, 0, z.nrFreePages)) {
        z.belowHigh = false;
      }
    }
  }

  /**
   * Models {@code free_pcppages_bulk()}: sends at least {@code count} pages back to the buddy
   * lists, taking from the tails of the lists round-robin from list {@code pindex}.
   */
  private void freeBulk(Pageset p, Zone z, int count, int pindex) {
    count = Math.min(count, p.count);
    int i = pindex - 1;
    int lists = p.lists();
    while (count > 0) {
      do {
        if (++i >= lists) {
          i = 0;
        }
      } while (p.size(i) == 0);
      int order = Pageset.orderOf(i);
      int pages = 1 << order;
      do {
        long e = p.takeTail(i);
        long pfn = Pageset.pfnOf(e);
        count -= pages;
        p.count -= pages;
        int mt = policy.drainToPageblockType() ? buddy.pageblocks.get(pfn) : Pageset.mtOf(e);
        buddy.freeFromPcp(z, pfn, order, mt);
        vmstat.pcpDrain++;
      } while (count > 0 && p.size(i) > 0);
    }
  }

  /**
   * Models {@code drain_local_pages(zone)}: CPU {@code cpu}'s lists of zone {@code z} back to the
   * buddy lists ({@code drain_pages_zone()}).
   */
  void drainZone(int cpu, Zone z) {
    Pageset p = sets[cpu][z.idx];
    if (p.count > 0) {
      freeBulk(p, z, p.count, 0);
    }
  }

  /** Models {@code drain_all_pages(zone)}: every CPU's lists of zone {@code z}. */
  void drainAllZone(Zone z) {
    for (int c = 0; c < cpus; c++) {
      drainZone(c, z);
    }
  }

  /** Models {@code drain_all_pages()}: every CPU's lists of every zone back to the buddy lists. */
  void drainAll() {
    for (int c = 0; c < cpus; c++) {
      for (Zone z : zones) {
        Pageset p = sets[c][z.idx];
        if (p.count > 0) {
          freeBulk(p, z, p.count, 0);
        }
      }
    }
  }

  /** Calls {@code consumer} for every block on every list (pfn, order, zone index). */
  void forEachBlock(PageAllocator.BlockConsumer consumer) {
    for (int c = 0; c < cpus; c++) {
      for (Zone z : zones) {
        Pageset p = sets[c][z.idx];
        for (int i = 0; i < p.lists(); i++) {
          for (int k = 0; k < p.size(i); k++) {
            consumer.accept(Pageset.pfnOf(p.get(i, k)), Pageset.orderOf(i), z.idx);
          }
        }
      }
    }
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    long b = 16;
    for (Pageset[] row : sets) {
      for (Pageset p : row) {
        b += p.heapBytes();
      }
    }
    return b;
  }
}
