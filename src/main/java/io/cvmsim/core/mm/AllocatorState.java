package io.cvmsim.core.mm;

import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.snapshot.Section;
import io.cvmsim.core.snapshot.SectionId;
import io.cvmsim.core.snapshot.SectionInput;
import io.cvmsim.core.snapshot.SectionOutput;
import io.cvmsim.core.snapshot.SnapshotFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The page allocator's part of a snapshot, one section per structure (docs/SNAPSHOT.md): {@code
 * ZONES}, {@code SYSCTLS}, {@code VMSTAT}, {@code FREE_LISTS}, {@code PAGEBLOCKS}, {@code PARKED},
 * {@code LIVE}, {@code EXTFRAG}. Everything a view prints or a later operation reads is written, in
 * a canonical order (free lists in list order, the rest ascending by pfn), so the same state always
 * gives the same bytes. {@link Reader} rebuilds an allocator from them through the structures' own
 * operations (a free block is added to the tail of its list, a parked run appended, an allocation
 * recorded), checking every value as it goes and {@link Invariants} at the end.
 *
 * <p>Later structures add sections rather than change these: the per-cpu page lists are {@code
 * PCP_LISTS} (a snapshot without it restores them empty, sized from the watermarks as at boot), and
 * compaction's state is {@code COMPACTION} (without it, a guest that never compacted); the page
 * cache and LRU lists and reclaim will each be one of their own.
 */
public final class AllocatorState {

  /** The layout version of every section written here. */
  static final int SECTION_VERSION = 1;

  private static final int ORDERS = Sizes.NR_ORDERS;
  private static final int MT = MigrateType.COUNT;
  private static final int LEVELS = WatermarkLevel.values().length;
  private static final long MAX_PFN = Sizes.MAX_PHYS_ADDR >>> Sizes.PAGE_SHIFT;

  /** The sections this class writes that a booted guest's snapshot must have. */
  public static final Set<SectionId> SECTIONS =
      EnumSet.of(
          SectionId.ZONES,
          SectionId.SYSCTLS,
          SectionId.VMSTAT,
          SectionId.FREE_LISTS,
          SectionId.PAGEBLOCKS,
          SectionId.PARKED,
          SectionId.LIVE,
          SectionId.EXTFRAG);

  private AllocatorState() {}

  /** Appends the allocator's sections to {@code out}, in id order. */
  public static void write(PageAllocator a, List<Section> out) {
    out.add(zones(a));
    out.add(sysctls(a.sysctls));
    out.add(vmstat(a.vmstat));
    out.add(freeLists(a.buddy.free));
    out.add(pageblocks(a.pageblocks));
    out.add(parked(a));
    out.add(live(a.live));
    out.add(extfrag(a.buddy.extfrag));
    out.add(pcpLists(a));
    out.add(compaction(a));
  }

  /** Returns whether {@code id} is one of the allocator's sections, required or not. */
  public static boolean owns(SectionId id) {
    return SECTIONS.contains(id) || id == SectionId.PCP_LISTS || id == SectionId.COMPACTION;
  }

  private static Section zones(PageAllocator a) {
    SectionOutput o = new SectionOutput();
    o.uvar(a.zones.length);
    for (Zone z : a.zones) {
      o.str(z.type.name());
      o.uvar(z.startPfn).uvar(z.spannedPages).uvar(z.presentPages).uvar(z.managedPages);
      o.uvar(z.nrFreePages).uvar(z.nrUnaccepted).uvar(z.nrFreeHighatomic);
      o.uvar(z.nrReservedHighatomic).uvar(z.allocatedPages);
      o.uvar(z.watermark.length);
      for (long w : z.watermark) {
        o.uvar(w);
      }
      o.uvar(z.watermarkBoost).bool(z.boosted);
      o.uvar(z.lowmemReserve.length);
      for (long r : z.lowmemReserve) {
        o.uvar(r);
      }
      o.uvar(z.pgalloc);
    }
    o.uvar(a.watermarks.totalReservePages);
    return o.toSection(SectionId.ZONES, SECTION_VERSION);
  }

  private static Section sysctls(Sysctls s) {
    SectionOutput o = new SectionOutput();
    o.uvar(s.minFreeKbytes).svar(s.userMinFreeKbytes);
    o.uvar(s.watermarkScaleFactor).uvar(s.watermarkBoostFactor);
    return o.toSection(SectionId.SYSCTLS, SECTION_VERSION);
  }

  private static Section vmstat(Vmstat v) {
    SectionOutput o = new SectionOutput();
    o.uvar(v.pgfree).uvar(v.pageoutrun).uvar(v.acceptedChunks);
    o.uvar(v.zoneLocked).uvar(v.pcpDrain);
    o.uvar(ORDERS);
    for (int i = 0; i < ORDERS; i++) {
      o.uvar(v.allocOk[i]).uvar(v.allocFailed[i]).uvar(v.freed[i]);
    }
    return o.toSection(SectionId.VMSTAT, SECTION_VERSION);
  }

  /** Every list as its length and its blocks' pfns, each in units of its order, as deltas. */
  private static Section freeLists(FreeAreas free) {
    SectionOutput o = new SectionOutput();
    o.uvar(ZoneType.POPULATABLE).uvar(ORDERS).uvar(MT);
    for (int z = 0; z < ZoneType.POPULATABLE; z++) {
      for (int ord = 0; ord < ORDERS; ord++) {
        for (int m = 0; m < MT; m++) {
          o.uvar(free.count(z, ord, m));
          long prev = 0;
          for (int n = free.first(z, ord, m); n != FreeAreas.NIL; n = free.next(n)) {
            long unit = free.pfn(n) >>> ord;
            o.svar(unit - prev);
            prev = unit;
          }
        }
      }
    }
    return o.toSection(SectionId.FREE_LISTS, SECTION_VERSION);
  }

  private static Section pageblocks(Pageblocks pb) {
    List<long[]> set = new ArrayList<>();
    pb.forEachNotMovable((pfn, order, mt) -> set.add(new long[] {pfn, mt}));
    SectionOutput o = new SectionOutput();
    o.uvar(set.size());
    long prev = 0;
    for (long[] s : set) {
      long index = s[0] >>> Sizes.PAGEBLOCK_ORDER;
      o.uvar(index - prev).u8((int) s[1]);
      prev = index;
    }
    return o.toSection(SectionId.PAGEBLOCKS, SECTION_VERSION);
  }

  private static Section parked(PageAllocator a) {
    SectionOutput o = new SectionOutput();
    o.uvar(a.zones.length);
    for (Zone z : a.zones) {
      o.uvar(z.parked.runs());
      for (int r = 0; r < z.parked.runs(); r++) {
        long[] run = z.parked.run(r);
        o.uvar(run[0] >>> Sizes.MAX_ORDER).uvar(run[1]);
      }
    }
    return o.toSection(SectionId.PARKED, SECTION_VERSION);
  }

  /**
   * Compaction's state: the counters, the compaction sysctls and switch, every zone's {@link
   * ZoneCompaction}, the pageblocks marked skip, the compound heads and migrated handles (ascending
   * by pfn), kcompactd's pending request.
   */
  private static Section compaction(PageAllocator a) {
    SectionOutput o = new SectionOutput();
    Vmstat v = a.vmstat;
    o.uvar(v.pgmigrateSuccess).uvar(v.pgmigrateFail).uvar(v.compactMigrateScanned);
    o.uvar(v.compactFreeScanned).uvar(v.compactIsolated).uvar(v.compactStall);
    o.uvar(v.compactFail).uvar(v.compactSuccess).uvar(v.kcompactdWake);
    o.uvar(v.kcompactdMigrateScanned).uvar(v.kcompactdFreeScanned);
    o.uvar(v.compactionEvents.length);
    for (long e : v.compactionEvents) {
      o.uvar(e);
    }
    o.uvar(a.sysctls.extfragThreshold).uvar(a.sysctls.compactionProactiveness);
    o.bool(a.compactionEnabled());
    o.uvar(a.zones.length);
    for (Zone z : a.zones) {
      ZoneCompaction c = z.compaction;
      o.uvar(c.cachedFreePfn).uvar(c.cachedMigratePfn[0]).uvar(c.cachedMigratePfn[1]);
      o.uvar(c.initMigratePfn).uvar(c.initFreePfn);
      o.uvar(c.considered).uvar(c.deferShift).uvar(c.orderFailed).bool(c.blockskipFlush);
    }
    List<Long> skipped = new ArrayList<>();
    for (long p = a.skip.nextSet(0, MAX_PFN);
        p >= 0;
        p = a.skip.nextSet(p + Sizes.PAGEBLOCK_NR_PAGES, MAX_PFN)) {
      skipped.add(p >>> Sizes.PAGEBLOCK_ORDER);
    }
    o.uvar(skipped.size());
    long prev = 0;
    for (long index : skipped) {
      o.uvar(index - prev);
      prev = index;
    }
    List<long[]> marked = new ArrayList<>();
    a.live.forEachHandle(
        (pfn, compound, handle) -> {
          if (compound || handle != pfn) {
            marked.add(new long[] {pfn, compound ? 1 : 0, handle});
          }
        });
    marked.sort((x, y) -> Long.compare(x[0], y[0]));
    o.uvar(marked.size());
    prev = 0;
    for (long[] m : marked) {
      o.uvar(m[0] - prev).bool(m[1] != 0).uvar(m[2]);
      prev = m[0];
    }
    int[] k = a.kcompactd.pending();
    o.uvar(k[0]).uvar(k[1]).uvar(k[2]);
    return o.toSection(SectionId.COMPACTION, SECTION_VERSION);
  }

  /** Live allocations ascending by head pfn: the delta and one byte of order and migrate type. */
  private static Section live(LiveAllocations live) {
    long[] packed = new long[live.size()];
    int[] n = {0};
    live.forEach((pfn, order, mt) -> packed[n[0]++] = pfn << 8 | order | mt << 4);
    Arrays.sort(packed);
    SectionOutput o = new SectionOutput();
    o.uvar(packed.length);
    long prev = 0;
    for (long p : packed) {
      long pfn = p >>> 8;
      o.uvar(pfn - prev).u8((int) (p & 0xFF));
      prev = pfn;
    }
    return o.toSection(SectionId.LIVE, SECTION_VERSION);
  }

  private static Section extfrag(ExtfragStats e) {
    SectionOutput o = new SectionOutput();
    o.uvar(MT);
    for (int am = 0; am < MT; am++) {
      for (int fm = 0; fm < MT; fm++) {
        o.uvar(e.count(am, fm, false)).uvar(e.count(am, fm, true));
      }
    }
    o.uvar(e.total()).uvar(e.fragmenting()).uvar(e.fragmentingMovable());
    List<ExtfragEvent> recent = e.recent();
    o.uvar(recent.size());
    for (ExtfragEvent ev : recent) {
      o.uvar(ev.pfn()).u8(ev.allocOrder()).u8(ev.fallbackOrder());
      o.u8(ev.allocMigratetype()).u8(ev.fallbackMigratetype()).bool(ev.changeOwnership());
    }
    return o.toSection(SectionId.EXTFRAG, SECTION_VERSION);
  }

  /**
   * Every CPU's pageset of every zone: its sizing, then each list's blocks from head to tail, each
   * as its pfn in units of the list's order (a delta) and the migrate type it carries back.
   */
  private static Section pcpLists(PageAllocator a) {
    SectionOutput o = new SectionOutput();
    PerCpuPages pcp = a.pcp;
    o.uvar(pcp.cpus()).uvar(a.zones.length);
    for (Zone z : a.zones) {
      o.bool(z.belowHigh).bool(z.reclaimActive);
    }
    for (int c = 0; c < pcp.cpus(); c++) {
      for (Zone z : a.zones) {
        Pageset p = pcp.pageset(c, z);
        o.svar(p.count).svar(p.high).svar(p.highMin).svar(p.highMax).svar(p.batch);
        o.svar(p.freeCount).svar(p.allocFactor).bool(p.prevFreeHighOrder);
        o.uvar(p.lists());
        for (int i = 0; i < p.lists(); i++) {
          int order = Pageset.orderOf(i);
          o.uvar(p.size(i));
          long prev = 0;
          for (int k = 0; k < p.size(i); k++) {
            long e = p.get(i, k);
            long unit = Pageset.pfnOf(e) >>> order;
            o.svar(unit - prev).u8(Pageset.mtOf(e));
            prev = unit;
          }
        }
      }
    }
    return o.toSection(SectionId.PCP_LISTS, SECTION_VERSION);
  }

  /**
   * Rebuilds an allocator from its sections, given in id order. The skeleton (zone spans and
   * present pages, the pageblock flags) comes from the guest's RAM as at boot; the sections fill in
   * the rest and must agree with it.
   */
  public static final class Reader {

    private final PageAllocator a;
    private final Set<SectionId> seen = EnumSet.noneOf(SectionId.class);

    /**
     * Starts an allocator over {@code ramPfnRanges} (the guest's E820 RAM as pfn ranges), for the
     * kernel {@code model}, accepting through {@code unaccepted}.
     */
    public Reader(
        KernelModel model,
        boolean eager,
        UnacceptedMemory unaccepted,
        List<long[]> ramPfnRanges,
        int cpus) {
      this.a = new PageAllocator(model, eager, unaccepted, ramPfnRanges, cpus);
    }

    /** Reads one of the allocator's sections ({@link #owns}). */
    public void read(SectionId id, SectionInput in) {
      if (!owns(id)) {
        throw new IllegalArgumentException(id + " is not an allocator section");
      }
      if (in.section().version() != SECTION_VERSION) {
        throw in.malformed(
            "its layout version is "
                + in.section().version()
                + "; this service reads version "
                + SECTION_VERSION);
      }
      switch (id) {
        case ZONES -> readZones(in);
        case SYSCTLS -> readSysctls(in);
        case VMSTAT -> readVmstat(in);
        case FREE_LISTS -> readFreeLists(in);
        case PAGEBLOCKS -> readPageblocks(in);
        case PARKED -> readParked(in);
        case LIVE -> readLive(in);
        case EXTFRAG -> readExtfrag(in);
        case PCP_LISTS -> readPcpLists(in);
        case COMPACTION -> readCompaction(in);
        default -> throw new IllegalArgumentException(id.name());
      }
      in.end();
      seen.add(id);
    }

    /**
     * Returns the allocator once every section was read, after {@link Invariants#check}.
     *
     * @throws io.cvmsim.core.SimulatorException 400 if a section is missing, 422 if an invariant
     *     does not hold
     */
    public PageAllocator finish() {
      for (SectionId id : SECTIONS) {
        if (!seen.contains(id)) {
          throw SnapshotFormat.malformed(
              "a booted guest's snapshot needs section " + id + ", and it has none");
        }
      }
      if (!seen.contains(SectionId.PCP_LISTS)) {
        a.pcp.update(); // a snapshot from before the per-cpu lists: empty, sized as at boot
      }
      try {
        Invariants.check(a);
      } catch (IllegalStateException e) {
        throw SnapshotFormat.impossible(
            "the page allocator it describes breaks an invariant: " + e.getMessage());
      } catch (RuntimeException e) {
        throw SnapshotFormat.impossible(
            "the page allocator it describes cannot be checked (" + e + ")");
      }
      return a;
    }

    private void readZones(SectionInput in) {
      long n = in.uvar("zone count", a.zones.length, a.zones.length);
      for (int i = 0; i < n; i++) {
        Zone z = a.zones[i];
        String name = in.str("zone name", 16);
        if (!name.equals(z.type.name())) {
          throw in.malformed("zone " + i + " is named " + name + ", expected " + z.type.name());
        }
        long start = in.uvar();
        long spanned = in.uvar();
        long present = in.uvar();
        if (start != z.startPfn || spanned != z.spannedPages || present != z.presentPages) {
          throw in.impossible(
              z.type
                  + " spans "
                  + spanned
                  + " pages ("
                  + present
                  + " present) from pfn "
                  + start
                  + ", but the memory map gives "
                  + z.spannedPages
                  + " ("
                  + z.presentPages
                  + ") from "
                  + z.startPfn);
        }
        z.managedPages = in.uvar(z.type + " managed pages", 0, present);
        z.nrFreePages = in.uvar(z.type + " NR_FREE_PAGES", 0, present);
        z.nrUnaccepted = in.uvar(z.type + " NR_UNACCEPTED", 0, present);
        z.nrFreeHighatomic = in.uvar(z.type + " nr_free_highatomic", 0, present);
        z.nrReservedHighatomic = in.uvar(z.type + " nr_reserved_highatomic", 0, present);
        z.allocatedPages = in.uvar(z.type + " allocated pages", 0, present);
        in.uvar("watermark count", LEVELS, LEVELS);
        for (int l = 0; l < LEVELS; l++) {
          z.watermark[l] = in.uvar(z.type + " watermark", 0, Long.MAX_VALUE / 4);
        }
        z.watermarkBoost = in.uvar(z.type + " watermark boost", 0, Long.MAX_VALUE / 4);
        z.boosted = in.bool(z.type + " boosted");
        in.uvar("lowmem reserve count", ZoneType.COUNT, ZoneType.COUNT);
        for (int j = 0; j < ZoneType.COUNT; j++) {
          z.lowmemReserve[j] = in.uvar(z.type + " lowmem reserve", 0, Long.MAX_VALUE / 4);
        }
        z.pgalloc = in.uvar();
      }
      a.watermarks.totalReservePages = in.uvar();
    }

    private void readSysctls(SectionInput in) {
      Sysctls s = a.sysctls;
      s.minFreeKbytes = in.uvar("min_free_kbytes", 0, 1L << 40);
      s.userMinFreeKbytes = in.svar("user_min_free_kbytes", -1, 1L << 40);
      s.watermarkScaleFactor = (int) in.uvar("watermark_scale_factor", 0, 10_000);
      s.watermarkBoostFactor = (int) in.uvar("watermark_boost_factor", 0, Integer.MAX_VALUE);
    }

    private void readVmstat(SectionInput in) {
      Vmstat v = a.vmstat;
      v.pgfree = in.uvar();
      v.pageoutrun = in.uvar();
      v.acceptedChunks = in.uvar();
      v.zoneLocked = in.uvar();
      v.pcpDrain = in.uvar();
      in.uvar("order count", ORDERS, ORDERS);
      for (int i = 0; i < ORDERS; i++) {
        v.allocOk[i] = in.uvar();
        v.allocFailed[i] = in.uvar();
        v.freed[i] = in.uvar();
        if (v.freed[i] > v.allocOk[i]) {
          throw in.impossible(
              "order "
                  + i
                  + ": "
                  + v.freed[i]
                  + " allocations freed, but only "
                  + v.allocOk[i]
                  + " made");
        }
      }
    }

    private void readFreeLists(SectionInput in) {
      in.uvar("zone count", ZoneType.POPULATABLE, ZoneType.POPULATABLE);
      in.uvar("order count", ORDERS, ORDERS);
      in.uvar("migrate type count", MT, MT);
      FreeAreas free = a.buddy.free;
      for (int z = 0; z < ZoneType.POPULATABLE; z++) {
        Zone zone = a.zones[z];
        for (int ord = 0; ord < ORDERS; ord++) {
          for (int m = 0; m < MT; m++) {
            int count = in.count(zone.type + " order " + ord + " list length", 1);
            long unit = 0;
            for (int k = 0; k < count; k++) {
              unit += in.svar();
              if (unit < 0 || unit > MAX_PFN >>> ord) {
                throw in.malformed("a free block's pfn is out of range");
              }
              long pfn = unit << ord;
              if (!zone.spans(pfn) || !zone.spans(pfn + (1L << ord) - 1)) {
                throw in.impossible(
                    "the free block at pfn "
                        + pfn
                        + " of order "
                        + ord
                        + " lies outside its zone "
                        + zone.type
                        + " [pfn "
                        + zone.startPfn
                        + ", "
                        + (zone.startPfn + zone.spannedPages)
                        + ")");
              }
              if (free.find(pfn) != FreeAreas.NIL) {
                throw in.impossible("the free block at pfn " + pfn + " is listed twice");
              }
              free.add(z, pfn, ord, m, true);
            }
          }
        }
      }
    }

    private void readPageblocks(SectionInput in) {
      int count = in.count("pageblock count", 2);
      long index = 0;
      for (int k = 0; k < count; k++) {
        long delta = in.uvar();
        if (k > 0 && delta == 0) {
          throw in.malformed("pageblock " + index + " is listed twice");
        }
        index += delta;
        if (index < 0 || index > MAX_PFN >>> Sizes.PAGEBLOCK_ORDER) {
          throw in.malformed("a pageblock index is out of range");
        }
        int mt = in.u8();
        long pfn = index << Sizes.PAGEBLOCK_ORDER;
        if (mt >= MT || mt == Buddy.MOVABLE) {
          throw in.malformed("pageblock " + index + " has migrate type " + mt);
        }
        if (pfn >= a.pageblocks.endPfn() || !inSomeZone(pfn)) {
          throw in.impossible("pageblock " + index + " (pfn " + pfn + ") lies outside every zone");
        }
        a.pageblocks.set(pfn, mt);
      }
    }

    private boolean inSomeZone(long pbStart) {
      Zone z = a.zones[ZoneType.ofPfn(pbStart).ordinal()];
      long end = pbStart + Sizes.PAGEBLOCK_NR_PAGES;
      return z.populated() && pbStart < z.startPfn + z.spannedPages && end > z.startPfn;
    }

    private void readParked(SectionInput in) {
      in.uvar("zone count", a.zones.length, a.zones.length);
      for (Zone z : a.zones) {
        int runs = in.count(z.type + " parked run count", 2);
        for (int r = 0; r < runs; r++) {
          long chunk = in.uvar("a parked run's first chunk", 0, MAX_PFN >>> Sizes.MAX_ORDER);
          long chunks = in.uvar("a parked run's chunks", 1, MAX_PFN >>> Sizes.MAX_ORDER);
          long pfn = chunk << Sizes.MAX_ORDER;
          long end = pfn + (chunks << Sizes.MAX_ORDER);
          if (!z.spans(pfn) || !z.spans(end - 1)) {
            throw in.impossible(
                "the parked run at pfn " + pfn + " (" + chunks + " chunks) leaves zone " + z.type);
          }
          z.parked.addTail(pfn, chunks);
        }
      }
    }

    private void readLive(SectionInput in) {
      int count = in.count("live allocation count", 2);
      long pfn = 0;
      for (int k = 0; k < count; k++) {
        long delta = in.uvar();
        if (k > 0 && delta == 0) {
          throw in.impossible("the allocation at pfn " + pfn + " is listed twice");
        }
        pfn += delta;
        if (pfn < 0 || pfn > MAX_PFN) {
          throw in.malformed("an allocation's pfn is out of range");
        }
        int info = in.u8();
        int order = info & 0xF;
        int mt = info >>> 4;
        if (order > Sizes.MAX_ORDER || mt >= MT) {
          throw in.malformed("the allocation at pfn " + pfn + " has order and type byte " + info);
        }
        if ((pfn & ((1L << order) - 1)) != 0) {
          throw in.impossible("the allocation at pfn " + pfn + " is not aligned to its order");
        }
        Zone z = a.zones[ZoneType.ofPfn(pfn).ordinal()];
        if (!z.spans(pfn) || !z.spans(pfn + (1L << order) - 1)) {
          throw in.impossible(
              "the allocation at pfn " + pfn + " of order " + order + " lies outside every zone");
        }
        a.live.add(pfn, order, mt, false);
      }
    }

    private void readCompaction(SectionInput in) {
      Vmstat v = a.vmstat;
      v.pgmigrateSuccess = in.uvar();
      v.pgmigrateFail = in.uvar();
      v.compactMigrateScanned = in.uvar();
      v.compactFreeScanned = in.uvar();
      v.compactIsolated = in.uvar();
      v.compactStall = in.uvar();
      v.compactFail = in.uvar();
      v.compactSuccess = in.uvar();
      v.kcompactdWake = in.uvar();
      v.kcompactdMigrateScanned = in.uvar();
      v.kcompactdFreeScanned = in.uvar();
      int events = v.compactionEvents.length;
      in.uvar("compaction event count", events, events);
      for (int i = 0; i < events; i++) {
        v.compactionEvents[i] = in.uvar();
      }
      a.sysctls.extfragThreshold = (int) in.uvar("extfrag_threshold", 0, 1000);
      a.sysctls.compactionProactiveness = (int) in.uvar("compaction_proactiveness", 0, 100);
      a.setCompactionEnabled(in.bool("compaction enabled"));
      in.uvar("zone count", a.zones.length, a.zones.length);
      for (Zone z : a.zones) {
        ZoneCompaction c = z.compaction;
        c.cachedFreePfn = in.uvar(z.type + " compact_cached_free_pfn", 0, MAX_PFN);
        c.cachedMigratePfn[0] = in.uvar(z.type + " compact_cached_migrate_pfn", 0, MAX_PFN);
        c.cachedMigratePfn[1] = in.uvar(z.type + " compact_cached_migrate_pfn", 0, MAX_PFN);
        c.initMigratePfn = in.uvar(z.type + " compact_init_migrate_pfn", 0, MAX_PFN);
        c.initFreePfn = in.uvar(z.type + " compact_init_free_pfn", 0, MAX_PFN);
        c.deferShift = 0;
        c.considered = (int) in.uvar(z.type + " compact_considered", 0, 64);
        c.deferShift =
            (int) in.uvar(z.type + " compact_defer_shift", 0, CompactionDefer.MAX_DEFER_SHIFT);
        c.orderFailed = (int) in.uvar(z.type + " compact_order_failed", 0, ORDERS);
        c.blockskipFlush = in.bool(z.type + " compact_blockskip_flush");
      }
      int skipped = in.count("skipped pageblock count", 1);
      long index = 0;
      for (int i = 0; i < skipped; i++) {
        index += in.uvar("skipped pageblock", i == 0 ? 0 : 1, MAX_PFN >>> Sizes.PAGEBLOCK_ORDER);
        a.skip.set(index << Sizes.PAGEBLOCK_ORDER);
      }
      int marked = in.count("marked allocation count", 3);
      long pfn = 0;
      for (int i = 0; i < marked; i++) {
        pfn += in.uvar("marked allocation", i == 0 ? 0 : 1, MAX_PFN);
        boolean compound = in.bool("compound");
        long handle = in.uvar("handle", 0, Long.MAX_VALUE / 4);
        if (!a.live.restore(pfn, compound, handle)) {
          throw in.impossible(
              "the allocation at pfn " + pfn + " with handle " + handle + " is not live or taken");
        }
      }
      int maxOrder = (int) in.uvar("kcompactd_max_order", 0, Sizes.MAX_ORDER);
      int highest = (int) in.uvar("kcompactd_highest_zoneidx", 0, ZoneType.COUNT - 1);
      int skippedTimeouts =
          (int) in.uvar("proactive timeouts to skip", 0, 1 << CompactionDefer.MAX_DEFER_SHIFT);
      a.kcompactd.restorePending(maxOrder, highest, skippedTimeouts);
    }

    private void readPcpLists(SectionInput in) {
      PerCpuPages pcp = a.pcp;
      in.uvar("cpu count", pcp.cpus(), pcp.cpus());
      in.uvar("zone count", a.zones.length, a.zones.length);
      for (Zone z : a.zones) {
        z.belowHigh = in.bool(z.type + " below high");
        z.reclaimActive = in.bool(z.type + " reclaim active");
      }
      for (int c = 0; c < pcp.cpus(); c++) {
        for (Zone z : a.zones) {
          Pageset p = pcp.pageset(c, z);
          p.count = (int) in.svar("count", 0, Integer.MAX_VALUE);
          p.high = (int) in.svar("high", 0, Integer.MAX_VALUE);
          p.highMin = (int) in.svar("high_min", 0, Integer.MAX_VALUE);
          p.highMax = (int) in.svar("high_max", 0, Integer.MAX_VALUE);
          p.batch = (int) in.svar("batch", 0, Integer.MAX_VALUE);
          p.freeCount = (int) in.svar("free count", Integer.MIN_VALUE, Integer.MAX_VALUE);
          p.allocFactor = (int) in.svar("alloc factor", Integer.MIN_VALUE, Integer.MAX_VALUE);
          p.prevFreeHighOrder = in.bool("prev free high order");
          in.uvar("list count", p.lists(), p.lists());
          for (int i = 0; i < p.lists(); i++) {
            int order = Pageset.orderOf(i);
            int n = in.count("cpu " + c + " " + z.type + " list " + i + " length", 2);
            long unit = 0;
            for (int k = 0; k < n; k++) {
              unit += in.svar();
              int mt = in.u8();
              if (unit < 0 || unit > MAX_PFN >>> order || mt >= MT) {
                throw in.malformed("a per-cpu block's pfn or migrate type is out of range");
              }
              long pfn = unit << order;
              if (!z.spans(pfn) || !z.spans(pfn + (1L << order) - 1)) {
                throw in.impossible(
                    "the per-cpu block at pfn " + pfn + " lies outside its zone " + z.type);
              }
              p.addTail(i, Pageset.pack(pfn, mt));
            }
          }
        }
      }
    }

    private void readExtfrag(SectionInput in) {
      in.uvar("migrate type count", MT, MT);
      long[] counts = new long[MT * MT * 2];
      long sum = 0;
      for (int i = 0; i < counts.length; i++) {
        counts[i] = in.uvar();
        sum += counts[i];
      }
      long total = in.uvar();
      long fragmenting = in.uvar();
      long fragmentingMovable = in.uvar();
      if (sum != total || fragmenting > total || fragmentingMovable > fragmenting) {
        throw in.impossible(
            "the extfrag counts do not add up: the pairs sum to "
                + sum
                + ", the total is "
                + total
                + ", fragmenting "
                + fragmenting
                + ", fragmenting movable "
                + fragmentingMovable);
      }
      int n = in.count("recent extfrag event count", 6);
      if (n > ExtfragStats.RECENT || n > total) {
        throw in.impossible(
            n
                + " recent extfrag events, more than the "
                + ExtfragStats.RECENT
                + " kept or the total");
      }
      List<ExtfragEvent> recent = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        long pfn = in.uvar("an extfrag event's pfn", 0, MAX_PFN);
        int allocOrder = in.u8();
        int fallbackOrder = in.u8();
        int allocMt = in.u8();
        int fallbackMt = in.u8();
        boolean change = in.bool("change_ownership");
        if (allocOrder > Sizes.MAX_ORDER
            || fallbackOrder > Sizes.MAX_ORDER
            || allocMt >= MT
            || fallbackMt >= MT) {
          throw in.malformed("an extfrag event has an order or migrate type out of range");
        }
        recent.add(new ExtfragEvent(pfn, allocOrder, fallbackOrder, allocMt, fallbackMt, change));
      }
      a.buddy.extfrag.restore(counts, total, fragmenting, fragmentingMovable, recent);
    }
  }
}
