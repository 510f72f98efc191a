package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import java.util.Arrays;

/**
 * The page allocator's invariants, checked from scratch: free counts equal the lists, no two free
 * buddies that could merge, free blocks, allocations and parked chunks never overlap, no free or
 * allocated page lies in unaccepted memory, parked chunks are MAX_ORDER blocks counted in
 * NR_FREE_PAGES and NR_UNACCEPTED, per-cpu lists hold what their counts say, managed = free +
 * allocated + per-cpu, watermarks ordered; the live allocations' map is well formed ({@code
 * PfnMap.checkInvariants}), their batch tags fit, their pages add up per migrate type, and migrated
 * allocations keep exactly one handle each; no compaction is left half done (nothing captured or
 * isolated between calls, kcompactd not pending, the scanners' cached positions inside their zone);
 * every page cache folio is an allocation its mapping owns (found through the folio's handle,
 * wherever compaction moved it), on the LRU list its flags name, and the LRU, file, shmem, anon and
 * dirty counts equal what the folios add up to.
 */
public final class Invariants {

  private Invariants() {}

  /** Checks every invariant; throws {@link IllegalStateException} naming the first broken one. */
  public static void check(PageAllocator a) {
    a.live.checkInvariants();
    checkCompaction(a);
    FreeAreas free = a.buddy.free;
    int blocks = free.blocks();
    int runs = 0;
    for (Zone zone : a.zones) {
      runs += zone.parked.runs();
    }
    int[] pcpBlocks = {0};
    a.pcp.forEachBlock((pfn, order, zone) -> pcpBlocks[0]++);
    long[] starts = new long[blocks + a.live.size() + runs + pcpBlocks[0]];
    long[] ends = new long[starts.length];
    int[] n = {0};
    long[] zoneFree = new long[ZoneType.COUNT];
    long[] zoneHighatomic = new long[ZoneType.COUNT];
    for (int z = 0; z < ZoneType.POPULATABLE; z++) {
      for (int o = 0; o <= Sizes.MAX_ORDER; o++) {
        long total = 0;
        for (int m = 0; m < MigrateType.COUNT; m++) {
          int count = 0;
          for (int node = free.first(z, o, m); node != FreeAreas.NIL; node = free.next(node)) {
            count++;
            long pfn = free.pfn(node);
            if (free.order(node) != o || free.migratetype(node) != m || free.zone(node) != z) {
              fail("free block " + pfn + " is on the wrong list");
            }
            if ((pfn & ((1L << o) - 1)) != 0) {
              fail("free block " + pfn + " of order " + o + " is not aligned");
            }
            if (ZoneType.ofPfn(pfn).ordinal() != z) {
              fail("free block " + pfn + " is outside its zone");
            }
            if (free.find(pfn) != node) {
              fail("free block " + pfn + " is not indexed");
            }
            checkBuddy(a, z, pfn, o, m);
            add(starts, ends, n, pfn, pfn + (1L << o));
            zoneFree[z] += 1L << o;
            if (m == MigrateType.HIGHATOMIC.ordinal()) {
              zoneHighatomic[z] += 1L << o;
            }
          }
          if (count != free.count(z, o, m)) {
            fail("zone " + z + " order " + o + " type " + m + ": list length differs from count");
          }
          total += count;
        }
        if (total != free.nrFree(z, o)) {
          fail("zone " + z + " order " + o + ": nr_free " + free.nrFree(z, o) + " but " + total);
        }
      }
    }
    long[] allocated = new long[ZoneType.COUNT];
    a.forEachAllocation(
        (pfn, order, mt) -> {
          add(starts, ends, n, pfn, pfn + (1L << order));
          allocated[ZoneType.ofPfn(pfn).ordinal()] += 1L << order;
        });
    for (int z = 0; z < ZoneType.COUNT; z++) {
      Zone zone = a.zones[z];
      ParkedChunks p = zone.parked;
      for (int r = 0; r < p.runs(); r++) {
        long[] run = p.run(r);
        if ((run[0] & (Sizes.MAX_ORDER_NR_PAGES - 1)) != 0) {
          fail("parked chunk " + run[0] + " is not MAX_ORDER aligned");
        }
        long end = run[0] + (run[1] << Sizes.MAX_ORDER);
        if (ZoneType.ofPfn(run[0]).ordinal() != z || ZoneType.ofPfn(end - 1).ordinal() != z) {
          fail("parked run at " + run[0] + " leaves zone " + zone.type);
        }
        add(starts, ends, n, run[0], end);
      }
      long parkedPages = p.chunks() << Sizes.MAX_ORDER;
      if (zone.nrUnaccepted != parkedPages) {
        fail(zone.type + ": NR_UNACCEPTED " + zone.nrUnaccepted + " but parked " + parkedPages);
      }
      if (zone.nrFreePages != zoneFree[z] + parkedPages) {
        fail(
            zone.type
                + ": NR_FREE_PAGES "
                + zone.nrFreePages
                + " but lists hold "
                + zoneFree[z]
                + " and parked "
                + parkedPages);
      }
      if (zone.allocatedPages != allocated[z]) {
        fail(zone.type + ": allocated " + zone.allocatedPages + " but live " + allocated[z]);
      }
      long pcpPages = a.pcp.pages(zone);
      if (zone.managedPages != zone.nrFreePages + zone.allocatedPages + pcpPages) {
        fail(
            zone.type
                + ": managed "
                + zone.managedPages
                + " != free "
                + zone.nrFreePages
                + " + allocated "
                + zone.allocatedPages
                + " + per-cpu "
                + pcpPages);
      }
      for (int c = 0; c < a.pcp.cpus(); c++) {
        Pageset set = a.pcp.pageset(c, zone);
        long listed = 0;
        for (int i = 0; i < set.lists(); i++) {
          listed += (long) set.size(i) << Pageset.orderOf(i);
        }
        if (listed != set.count) {
          fail(zone.type + " cpu " + c + ": pcp count " + set.count + " but lists hold " + listed);
        }
      }
      if (zone.nrFreeHighatomic != zoneHighatomic[z]) {
        fail(zone.type + ": nr_free_highatomic differs from the HIGHATOMIC lists");
      }
      long[] w = zone.watermark;
      if (w[0] > w[1] || w[1] > w[2] || w[2] > w[3]) {
        fail(zone.type + ": watermarks out of order " + Arrays.toString(w));
      }
    }
    a.pcp.forEachBlock(
        (pfn, order, zone) -> {
          if ((pfn & ((1L << order) - 1)) != 0 || ZoneType.ofPfn(pfn).ordinal() != zone) {
            fail("per-cpu block " + pfn + " of order " + order + " is misaligned or misplaced");
          }
          if (a.unaccepted.anyUnacceptedIn(Sizes.phys(pfn), Sizes.phys(pfn + (1L << order)))) {
            fail("per-cpu block " + pfn + " lies in unaccepted memory");
          }
          add(starts, ends, n, pfn, pfn + (1L << order));
        });
    // no overlaps, and nothing free or allocated in unaccepted memory
    int count = n[0];
    Integer[] idx = new Integer[count];
    for (int i = 0; i < count; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> Long.compare(starts[x], starts[y]));
    long prevEnd = -1;
    for (int k = 0; k < count; k++) {
      int i = idx[k];
      if (starts[i] < prevEnd) {
        fail("pages " + starts[i] + ".." + prevEnd + " are handed out or listed twice");
      }
      prevEnd = ends[i];
    }
    for (int z = 0; z < ZoneType.POPULATABLE; z++) {
      for (int o = 0; o <= Sizes.MAX_ORDER; o++) {
        for (int m = 0; m < MigrateType.COUNT; m++) {
          for (int node = free.first(z, o, m); node != FreeAreas.NIL; node = free.next(node)) {
            long pfn = free.pfn(node);
            if (a.unaccepted.anyUnacceptedIn(Sizes.phys(pfn), Sizes.phys(pfn + (1L << o)))) {
              fail("free block " + pfn + " of order " + o + " lies in unaccepted memory");
            }
          }
        }
      }
    }
    a.forEachAllocation(
        (pfn, order, mt) -> {
          if (a.unaccepted.anyUnacceptedIn(Sizes.phys(pfn), Sizes.phys(pfn + (1L << order)))) {
            fail("allocation " + pfn + " of order " + order + " lies in unaccepted memory");
          }
        });
    checkPageCache(a);
  }

  /** The page cache and the LRU lists against the folios they hold. */
  private static void checkPageCache(PageAllocator a) {
    Lru lru = a.lru;
    PageCache pc = a.pageCache;
    long[][] zonePages = new long[Lru.LISTS][ZoneType.COUNT];
    int[] onLists = {0};
    for (int l = 0; l < Lru.LISTS; l++) {
      int list = l;
      lru.forEach(
          list,
          id -> {
            onLists[0]++;
            if (lru.lru(id) != list || !lru.test(id, Lru.ON_LRU)) {
              fail("folio " + id + " is on LRU list " + list + " but its flags say otherwise");
            }
            long pfn = a.live.pfnOf(lru.handle(id));
            int info = pfn < 0 ? -1 : a.live.info(pfn);
            if (info < 0
                || !LiveAllocations.isOwned(info)
                || LiveAllocations.order(info) != lru.order(id)) {
              fail("folio " + id + " (handle " + lru.handle(id) + ") is not an allocation it owns");
            }
            if (a.zoneOf(pfn).idx != lru.zone(id)) {
              fail("folio " + id + " moved out of its zone " + lru.zone(id) + " to pfn " + pfn);
            }
            if (Lru.isFile(list) == lru.test(id, Lru.SWAPBACKED)) {
              fail("folio " + id + " is on a " + (Lru.isFile(list) ? "file" : "anon") + " list");
            }
            zonePages[list][lru.zone(id)] += lru.nrPages(id);
          });
      for (int z = 0; z < ZoneType.COUNT; z++) {
        if (zonePages[l][z] != lru.zonePages(l, z)) {
          fail("LRU list " + l + " zone " + z + ": counted " + lru.zonePages(l, z));
        }
      }
    }
    long[] byKind = new long[3];
    long[] dirty = new long[ZoneType.COUNT];
    int[] folios = {0};
    pc.forEachFolio(
        (id, mapping, index) -> {
          if (lru.index(id) != index) {
            return; // a tail page of a larger folio
          }
          folios[0]++;
          if (lru.mapping(id) != mapping || !lru.test(id, Lru.ON_LRU)) {
            fail("folio " + id + " of mapping " + mapping + " is not on an LRU list");
          }
          byKind[pc.kind(mapping)] += lru.nrPages(id);
          if (lru.test(id, Lru.DIRTY)) {
            dirty[lru.zone(id)] += lru.nrPages(id);
          }
        });
    if (folios[0] != onLists[0] || folios[0] != lru.folios()) {
      fail("mappings hold " + folios[0] + " folios, the LRU lists " + onLists[0]);
    }
    long[] owned = {0};
    a.forEachAllocation(
        (pfn, order, mt) -> {
          if (LiveAllocations.isOwned(a.live.info(pfn))) {
            owned[0]++;
          }
        });
    if (owned[0] != folios[0]) {
      fail(owned[0] + " allocations are owned by mappings that hold " + folios[0] + " folios");
    }
    if (pc.filePages != byKind[PageCache.FILE] + byKind[PageCache.SHMEM]
        || pc.shmemPages != byKind[PageCache.SHMEM]
        || pc.anonPages != byKind[PageCache.ANON]) {
      fail("NR_FILE_PAGES, NR_SHMEM or NR_ANON_MAPPED differ from the mappings' folios");
    }
    long allDirty = 0;
    for (int z = 0; z < ZoneType.COUNT; z++) {
      if (dirty[z] != pc.zoneDirty[z]) {
        fail("zone " + z + ": NR_ZONE_WRITE_PENDING " + pc.zoneDirty[z] + " but " + dirty[z]);
      }
      allDirty += dirty[z];
    }
    if (allDirty != pc.dirty) {
      fail("NR_FILE_DIRTY " + pc.dirty + " but dirty folios hold " + allDirty);
    }
  }

  private static void checkCompaction(PageAllocator a) {
    if (a.buddy.capture != null) {
      fail("a direct compactor's capture control outlived its compaction");
    }
    if (a.kcompactd.woken()) {
      fail("kcompactd was woken and did not run");
    }
    for (Zone z : a.zones) {
      if (!z.populated()) {
        continue;
      }
      ZoneCompaction c = z.compaction;
      long end = z.startPfn + z.spannedPages;
      for (long p : new long[] {c.cachedMigratePfn[0], c.cachedMigratePfn[1], c.cachedFreePfn}) {
        if (p != 0
            && (p < z.startPfn - Sizes.PAGEBLOCK_NR_PAGES || p > end + Sizes.PAGEBLOCK_NR_PAGES)) {
          fail(z.type + ": a cached compaction scanner position " + p + " is outside the zone");
        }
      }
      if (c.deferShift < 0 || c.deferShift > CompactionDefer.MAX_DEFER_SHIFT) {
        fail(z.type + ": compact_defer_shift " + c.deferShift + " out of range");
      }
      if (c.considered < 0 || c.considered > 1 << c.deferShift) {
        fail(z.type + ": compact_considered " + c.considered + " beyond its limit");
      }
    }
  }

  private static void checkBuddy(PageAllocator a, int z, long pfn, int o, int m) {
    if (o >= Sizes.MAX_ORDER) {
      return;
    }
    long buddy = pfn ^ (1L << o);
    FreeAreas free = a.buddy.free;
    int bn = free.find(buddy);
    if (bn == FreeAreas.NIL || free.order(bn) != o || free.zone(bn) != z) {
      return;
    }
    if (o >= Sizes.PAGEBLOCK_ORDER) {
      int mt = a.pageblocks.get(pfn);
      int bmt = a.pageblocks.get(buddy);
      if (mt != bmt && (mt >= MigrateType.PCPTYPES || bmt >= MigrateType.PCPTYPES)) {
        return;
      }
    }
    fail("free buddies " + pfn + " and " + buddy + " of order " + o + " were not merged");
  }

  private static void add(long[] starts, long[] ends, int[] n, long s, long e) {
    if (n[0] == starts.length) {
      throw new IllegalStateException("more blocks than counted");
    }
    starts[n[0]] = s;
    ends[n[0]] = e;
    n[0]++;
  }

  private static void fail(String message) {
    throw new IllegalStateException(message);
  }
}
