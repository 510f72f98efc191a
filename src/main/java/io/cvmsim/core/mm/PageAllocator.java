package io.cvmsim.core.mm;

import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MappingKind;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.MemorySnapshot;
import java.util.List;

/**
 * Models the page allocator of one NUMA node (mm/page_alloc.c), following one {@link KernelModel}:
 * the allocation path ({@code __alloc_pages()}, {@code get_page_from_freelist()}, {@code
 * rmqueue()}) and the free path ({@code __free_pages()}), over the parts that mirror the kernel's
 * own: {@link Buddy} (free lists, splitting, merging), {@link PerCpuPages} (the per-cpu lists in
 * front of them), {@link Pageblocks}, {@link Watermarks} and {@link WatermarkCheck}, {@link
 * ParkedMemory} (unaccepted chunks), {@link MemblockFreeAll} (the hand-over at boot), {@link
 * HighatomicReserve}, the page cache and anonymous memory on LRU lists ({@link PageCache}, {@link
 * Lru}, {@link Writeback}), reclaim ({@link Vmscan}, {@link Kswapd}, {@link DirectReclaim}), and
 * {@link VmstatSnapshot} (what /proc reads). The picture is in the package documentation. Every
 * allocation and free names the CPU it runs on.
 *
 * <p>Compaction ({@link Compaction}) runs in the slow path ({@link DirectCompaction}), in kcompactd
 * ({@link Kcompactd}, which kswapd wakes as mm/vmscan.c does) and for /proc/sys/vm/compact_memory;
 * it migrates movable allocations — page-cache and anonymous folios included — which keep their
 * handles ({@link LiveAllocations}): {@link #allocPages} returns a handle, the head pfn the block
 * got, and {@link #freePages} takes it, wherever the block has moved since.
 *
 * <p>What is not modeled yet: the OOM killer (an allocation that fails after reclaim and compaction
 * fails, and where the kernel would invoke the OOM killer it is counted as such), CMA and memory
 * isolation (their lists exist but stay empty), deferred struct-page initialisation as state, and
 * page shuffling.
 *
 * <p>Not thread safe: the owning VM serializes every call under its lock, like the zone lock.
 */
public final class PageAllocator {

  private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

  final KernelModel model;
  final KernelRules rules;
  final UnacceptedMemory unaccepted;
  final Zone[] zones = new Zone[ZoneType.COUNT];
  final Sysctls sysctls = new Sysctls();
  final Vmstat vmstat = new Vmstat();
  final LiveAllocations live = new LiveAllocations();
  final Pageblocks pageblocks;
  final Buddy buddy;
  final Watermarks watermarks;
  final ParkedMemory parked;
  final PerCpuPages pcp;
  final PageblockSkip skip;
  final WatermarkCheck check;
  final CompactionDefer defer;
  final Compaction compaction;
  private final DirectCompaction direct;
  final Kcompactd kcompactd;
  private boolean compactionEnabled = true;
  final Lru lru = new Lru();
  final PageCache pageCache;
  final Writeback writeback;
  final Vmscan vmscan;
  final Kswapd kswapd;
  private final DirectReclaim directReclaim;
  private final MemblockFreeAll handover;
  private final AcceptOnDemand acceptOnDemand;
  private final FallbackPolicy fallback;
  private final int highatomicFallbackFlags;
  private final boolean detectsBelowHigh;
  private long version;

  /**
   * Creates the allocator of a node whose usable RAM is {@code ramPfnRanges} (sorted, disjoint
   * {start, end} pfn pairs, E820 RAM with page 0 already removed), with {@code cpus} CPUs. Zones
   * get their span and present pages from it; nothing is free until memory is handed over, and the
   * per-cpu lists pass every block straight through until {@link #setupPagesets} sizes them.
   */
  public PageAllocator(
      KernelModel model,
      boolean eager,
      UnacceptedMemory unaccepted,
      List<long[]> ramPfnRanges,
      int cpus) {
    this.model = model;
    this.rules = model.rules;
    this.unaccepted = unaccepted;
    for (ZoneType t : ZoneType.values()) {
      zones[t.ordinal()] = new Zone(t);
    }
    long end = 0;
    for (long[] r : ramPfnRanges) {
      end = Math.max(end, r[1]);
    }
    this.pageblocks = new Pageblocks(end);
    this.skip = new PageblockSkip(end);
    for (long[] r : ramPfnRanges) {
      addRam(r[0], r[1]);
    }
    this.buddy = new Buddy(zones, pageblocks, live, rules, sysctls, vmstat);
    this.watermarks = new Watermarks(zones, sysctls, rules);
    this.check = new WatermarkCheck(buddy.free, rules);
    this.parked = new ParkedMemory(zones, unaccepted, eager, buddy, rules, vmstat);
    this.handover = new MemblockFreeAll(zones, unaccepted, eager, buddy, parked);
    this.acceptOnDemand = rules.acceptOnDemand();
    this.fallback = rules.fallback();
    this.highatomicFallbackFlags = rules.highatomicFallbackFlags();
    PcpPolicy pcpPolicy = rules.pcpPolicy();
    this.pcp = new PerCpuPages(cpus, zones, pcpPolicy, buddy, fallback, vmstat, check);
    this.detectsBelowHigh = pcpPolicy.detectsZoneBelowHigh();
    this.defer = new CompactionDefer(vmstat);
    this.compaction = new Compaction(this);
    this.direct = new DirectCompaction(this, compaction, defer);
    this.kcompactd = new Kcompactd(this, compaction, defer);
    this.pageCache = new PageCache(this, lru, vmstat);
    this.writeback = new Writeback(this, pageCache, lru);
    this.vmscan = new Vmscan(lru, pageCache, vmstat);
    this.kswapd = new Kswapd(zones, check, vmscan, vmstat, kcompactd);
    this.directReclaim = new DirectReclaim(zones, lru, vmscan, kswapd, pcp, check, vmstat);
  }

  /** Adds the RAM pfns {@code [s, e)} to the spans and present pages of the zones they fall in. */
  private void addRam(long s, long e) {
    while (s < e) {
      ZoneType t = ZoneType.ofPfn(s);
      long zoneEnd = Math.min(e, t.endPfn());
      Zone z = zones[t.ordinal()];
      if (z.presentPages == 0) {
        z.startPfn = s;
      }
      z.presentPages += zoneEnd - s;
      z.spannedPages = zoneEnd - z.startPfn;
      long firstPb = s >>> Sizes.PAGEBLOCK_ORDER;
      long lastPb = (zoneEnd - 1) >>> Sizes.PAGEBLOCK_ORDER;
      long pbs = lastPb - firstPb + 1;
      if (z.lastCountedPageblock == firstPb) {
        pbs--;
      }
      z.lastCountedPageblock = lastPb;
      pageblocks.addInitial(t, pbs);
      s = zoneEnd;
    }
  }

  /** Returns the kernel model. */
  public KernelModel model() {
    return model;
  }

  /** Returns a number that changes whenever the allocator's state changes. */
  public long version() {
    return version;
  }

  Zone zoneOf(long pfn) {
    return zones[ZoneType.ofPfn(pfn).ordinal()];
  }

  // ------------------------------------------------------------------ boot

  /**
   * Hands the free pfn range {@code [start, end)} to the buddy allocator (memblock_free_all() and
   * deferred init): see {@link MemblockFreeAll}.
   */
  public void freeBootRange(long start, long end) {
    handover.freeRange(start, end);
    version++;
  }

  /**
   * Models {@code free_reserved_area()} (mm/page_alloc.c) over the pfns {@code [start, end)} that
   * memblock had reserved (the initrd, the image's init sections): each page becomes managed and is
   * freed on CPU {@code cpu} as an order-0 page ({@code free_reserved_page()}: __free_page() and
   * adjust_managed_page_count()), so it goes through the per-cpu lists. Costs one step per page.
   */
  public void freeReservedArea(int cpu, long start, long end) {
    for (long pfn = start; pfn < end; pfn++) {
      Zone z = zoneOf(pfn);
      z.managedPages++;
      pcp.free(cpu, z, pfn, 0, pageblocks.get(pfn));
    }
    version++;
  }

  /**
   * Models {@code init_per_zone_wmark_min()} (postcore_initcall): min_free_kbytes from the managed
   * memory, then the watermarks, the lowmem reserves and totalreserve_pages.
   */
  public void initPerZoneWmarkMin() {
    watermarks.initPerZoneWmarkMin();
    pcp.update();
    version++;
  }

  /** Models the recommended min_free_kbytes khugepaged sets when THP is enabled. */
  public void setRecommendedMinFreeKbytes() {
    watermarks.setRecommendedMinFreeKbytes();
    pcp.update();
    version++;
  }

  /**
   * Models {@code setup_per_cpu_pageset()}: gives every CPU's lists of every zone their batch and
   * high from the memory handed over (high from the low watermark, still 0 before the watermarks
   * exist).
   */
  public void setupPagesets() {
    pcp.update();
    version++;
  }

  // ------------------------------------------------------------------ allocation

  /**
   * Models {@code __alloc_pages(gfp, order)} on {@code cpu}: the fast path at the low watermark
   * with ALLOC_NOFRAGMENT when the preferred zone is Normal, then the slow path ({@link
   * #slowPath}). If the allocation woke kswapd, kswapd runs when it returns ({@link
   * Kswapd#runIfWoken}), then kcompactd if the slow path or kswapd woke it ({@link
   * Kcompactd#runIfWoken}). Returns the allocation's handle (its head pfn now), or -1 if no zone
   * could serve it (counted as a failure).
   */
  public long allocPages(int cpu, Gfp gfp, int order) {
    long handle = allocate(cpu, gfp, order);
    kswapd.runIfWoken();
    kcompactd.runIfWoken();
    return handle;
  }

  private long allocate(int cpu, Gfp gfp, int order) {
    int highest = gfp.highestZone().ordinal();
    int mt = gfp.migrateType().ordinal();
    Zone preferred = null;
    for (int i = Math.min(highest, ZoneType.NORMAL.ordinal()); i >= 0; i--) {
      if (zones[i].managed()) {
        preferred = zones[i];
        break;
      }
    }
    long pfn = -1;
    if (preferred != null) {
      int flags = AllocFlags.WMARK_LOW | (gfp.kswapd() ? AllocFlags.KSWAPD : 0);
      if (preferred.type == ZoneType.NORMAL) {
        flags |= AllocFlags.NOFRAGMENT;
      }
      pfn = getPageFromFreelist(cpu, order, flags, highest, mt);
      if (pfn < 0) {
        pfn = slowPath(cpu, gfp, order, highest, mt);
      }
    }
    version++;
    if (pfn < 0) {
      vmstat.allocFailed[order]++;
      return -1;
    }
    long handle = live.add(pfn, order, mt, gfp.compound());
    Zone z = zoneOf(pfn);
    z.allocatedPages += 1L << order;
    z.pgalloc += 1L << order;
    vmstat.allocOk[order]++;
    return handle;
  }

  /**
   * Models {@code __alloc_pages_slowpath()} (mm/page_alloc.c, v6.1 and v6.12 alike here): wakes
   * kswapd (with __GFP_KSWAPD_RECLAIM), tries the min watermark with the flags gfp_to_alloc_flags()
   * gives, then for a caller that may reclaim compacts first if the order is costly or an unmovable
   * high order ({@link DirectCompaction#beforeReclaim}; a costly __GFP_NORETRY request whose
   * compaction was skipped or deferred gives up here), and loops: kswapd woken again, direct
   * reclaim ({@link DirectReclaim}), direct compaction after reclaim ({@link
   * DirectCompaction#afterReclaim}), then {@code should_reclaim_retry()} — once only with
   * __GFP_NORETRY, or for a costly order without __GFP_RETRY_MAYFAIL. {@code
   * should_compact_retry()} is not modeled: the loop retries only while reclaim may help. Where the
   * kernel would call the OOM killer ({@code __alloc_pages_may_oom()}) it makes a last attempt at
   * the high watermark and then fails.
   */
  private long slowPath(int cpu, Gfp gfp, int order, int highest, int mt) {
    int flags = gfpToAllocFlags(gfp, order);
    if ((flags & AllocFlags.KSWAPD) != 0) {
      wakeAllKswapds(order, gfp, highest);
    }
    long pfn = getPageFromFreelist(cpu, order, flags, highest, mt);
    if (pfn >= 0) {
      return pfn;
    }
    pfn = direct.beforeReclaim(cpu, gfp, order, flags, highest, mt);
    if (pfn >= 0 || direct.giveUp() || !gfp.canDirectReclaim()) {
      return pfn;
    }
    int[] noProgressLoops = {0};
    while (true) {
      if ((flags & AllocFlags.KSWAPD) != 0) {
        wakeAllKswapds(order, gfp, highest);
      }
      pfn =
          directReclaim.allocate(
              cpu, order, highest, () -> getPageFromFreelist(cpu, order, flags, highest, mt));
      if (pfn >= 0) {
        return pfn;
      }
      pfn = direct.afterReclaim(cpu, gfp, order, flags, highest, mt);
      if (pfn >= 0) {
        return pfn;
      }
      if (gfp.noRetry() || (order > Pageset.COSTLY_ORDER && !gfp.retryMayfail())) {
        return -1;
      }
      if (!directReclaim.shouldRetry(order, flags, highest, noProgressLoops)) {
        break;
      }
    }
    pfn = getPageFromFreelist(cpu, order, AllocFlags.WMARK_HIGH | AllocFlags.CPUSET, highest, mt);
    if (pfn < 0) {
      vmstat.oomFailures++;
    }
    return pfn;
  }

  /**
   * Models {@code wake_all_kswapds()}: one wakeup for the node, from its highest managed zone;
   * {@link Kswapd#wakeup} wakes kcompactd instead when the node is balanced and the caller cannot
   * reclaim.
   */
  private void wakeAllKswapds(int order, Gfp gfp, int highest) {
    for (int i = Math.min(highest, zones.length - 1); i >= 0; i--) {
      if (zones[i].managed()) {
        kswapd.wakeup(zones[i], order, highest, gfp.canDirectReclaim());
        return;
      }
    }
  }

  /** Models {@code gfp_to_alloc_flags()} (6.5; mainline is the same for these masks). */
  private static int gfpToAllocFlags(Gfp gfp, int order) {
    int flags = AllocFlags.WMARK_MIN | AllocFlags.CPUSET;
    if (gfp.high()) {
      flags |= AllocFlags.MIN_RESERVE;
    }
    if (gfp.kswapd()) {
      flags |= AllocFlags.KSWAPD;
    }
    if (!gfp.canDirectReclaim()) {
      if (!gfp.noMemalloc()) {
        flags |= AllocFlags.NON_BLOCK;
        if (order > 0) {
          flags |= AllocFlags.HIGHATOMIC;
        }
      }
      if ((flags & AllocFlags.MIN_RESERVE) != 0) {
        flags &= ~AllocFlags.CPUSET;
      }
    }
    return flags;
  }

  /** Models {@code get_page_from_freelist()} over the zonelist from {@code highest} down. */
  long getPageFromFreelist(int cpu, int order, int allocFlags, int highest, int mt) {
    while (true) {
      boolean noFallback = (allocFlags & AllocFlags.NOFRAGMENT) != 0;
      for (int i = highest; i >= 0; i--) {
        Zone z = zones[i];
        if (!z.managed()) {
          continue;
        }
        ParkedZone p = parked.zone(z);
        acceptOnDemand.beforeWatermarkCheck(p, order, allocFlags);
        if (detectsBelowHigh
            && !z.belowHigh
            && !check.fast(z, order, z.wmark(AllocFlags.WMARK_HIGH), highest, allocFlags)) {
          z.belowHigh = true;
        }
        long mark = z.wmark(allocFlags & AllocFlags.WMARK_MASK);
        if (!check.fast(z, order, mark, highest, allocFlags)
            && !acceptOnDemand.afterFailedWatermark(p, order, allocFlags)
            && (allocFlags & AllocFlags.NO_WATERMARKS) == 0) {
          continue;
        }
        while (true) {
          long pfn = rmqueue(cpu, z, order, mt, allocFlags);
          if (pfn >= 0) {
            if ((allocFlags & AllocFlags.HIGHATOMIC) != 0) {
              rules.highatomicReserve().reserve(buddy, z, pfn, order);
            }
            return pfn;
          }
          if (!acceptOnDemand.afterFailedRmqueue(p, order, allocFlags)) {
            break;
          }
        }
      }
      if (!noFallback) {
        return -1;
      }
      allocFlags &= ~AllocFlags.NOFRAGMENT;
    }
  }

  /**
   * Models {@code rmqueue()}: orders the per-cpu lists cache come from them ({@link PerCpuPages}),
   * the others, or when the lists got nothing, from the buddy lists; then wakes kswapd for a
   * boosted watermark.
   */
  private long rmqueue(int cpu, Zone z, int order, int mt, int allocFlags) {
    long pfn = -1;
    if (PerCpuPages.allowedOrder(order)) {
      pfn = pcp.rmqueue(cpu, z, order, mt, allocFlags);
    }
    if (pfn < 0) {
      pfn = rmqueueBuddy(z, order, mt, allocFlags);
    }
    if ((allocFlags & AllocFlags.KSWAPD) != 0 && z.boosted) {
      // rmqueue(): wakeup_kswapd(zone, 0, 0, zone_idx(zone)); kswapd drops the boost at the end of
      // its run and wakes kcompactd at pageblock order (balance_pgdat(), mm/vmscan.c)
      z.boosted = false;
      kswapd.wakeup(z, 0, z.idx, false);
    }
    return pfn;
  }

  /** Models {@code rmqueue_buddy()}. */
  private long rmqueueBuddy(Zone z, int order, int mt, int allocFlags) {
    long pfn = -1;
    if ((allocFlags & AllocFlags.HIGHATOMIC) != 0) {
      pfn = buddy.rmqueueSmallest(z, order, HIGHATOMIC);
    }
    if (pfn < 0) {
      pfn = fallback.rmqueue(buddy.lists(z), order, mt, allocFlags);
      if (pfn < 0 && (allocFlags & highatomicFallbackFlags) != 0) {
        pfn = buddy.rmqueueSmallest(z, order, HIGHATOMIC);
      }
      if (pfn < 0) {
        return -1;
      }
    }
    z.nrFreePages -= 1L << order;
    vmstat.zoneLocked++;
    return pfn;
  }

  // ------------------------------------------------------------------ page cache

  /** Creates an empty mapping (a file, a tmpfs file or anonymous memory); returns its id. */
  public int createMapping(MappingKind kind) {
    version++;
    return pageCache.create(kind.ordinal());
  }

  /**
   * Adds an order-0 folio at page {@code index} of {@code mapping} on {@code cpu}: a page read into
   * the page cache, written ({@code dirty}: then balance_dirty_pages() may start writeback), or an
   * anonymous or tmpfs page faulted in. The allocation may reclaim and wake kswapd. Returns the
   * allocation's handle (its head pfn unless compaction has moved the folio), or -1 if it failed.
   *
   * @throws IllegalArgumentException if the mapping is not live or the page is cached
   */
  public long addToMapping(int cpu, int mapping, int index, Gfp gfp, boolean dirty) {
    requireMapping(mapping);
    long pfn = pageCache.add(cpu, mapping, index, gfp, 0, dirty);
    if (dirty && pfn >= 0) {
      writeback.balanceDirtyPages();
    }
    version++;
    return pfn;
  }

  /**
   * Reads or writes page {@code index} of {@code mapping} if it is cached (folio_mark_accessed(),
   * and folio_mark_dirty() for a write to a file); returns whether it was (a hit).
   */
  public boolean touchMapping(int mapping, int index, boolean write) {
    requireMapping(mapping);
    boolean hit = pageCache.access(mapping, index);
    if (hit && write && pageCache.kind(mapping) == PageCache.FILE) {
      pageCache.dirty(mapping, index);
      writeback.balanceDirtyPages();
    }
    version++;
    return hit;
  }

  /**
   * Removes page {@code index} of {@code mapping} (a hole punched, an anonymous page unmapped) and
   * frees it on {@code cpu}; returns whether it was cached.
   */
  public boolean removeFromMapping(int cpu, int mapping, int index) {
    requireMapping(mapping);
    version++;
    return pageCache.delete(cpu, mapping, index);
  }

  /**
   * Deletes {@code mapping} (a file unlinked, a process exited), freeing its pages on {@code cpu}.
   */
  public void deleteMapping(int cpu, int mapping) {
    requireMapping(mapping);
    pageCache.destroy(cpu, mapping);
    version++;
  }

  /** Returns the pages {@code mapping} holds now. */
  public long mappingPages(int mapping) {
    requireMapping(mapping);
    return pageCache.cached(mapping);
  }

  private void requireMapping(int mapping) {
    if (!pageCache.isLive(mapping)) {
      throw new IllegalArgumentException("mapping " + mapping + " does not exist");
    }
  }

  // ------------------------------------------------------------------ kswapd from a trace

  /**
   * Replays a traced {@code mm_vmscan_kswapd_wake}: from now on kswapd's runs come from the trace
   * and reclaim is the trace's frees ({@link Kswapd#traceWake}).
   */
  public void kswapdWakeFromTrace() {
    kswapd.traceWake();
    version++;
  }

  /** Replays a traced {@code mm_vmscan_kswapd_sleep} ({@link Kswapd#traceSleep}). */
  public void kswapdSleepFromTrace() {
    kswapd.traceSleep();
    version++;
  }

  // ------------------------------------------------------------------ freeing

  /**
   * Returns whether {@code handle} names a live allocation that its caller may free (not one the
   * page cache or an anonymous mapping owns).
   */
  public boolean isFreeable(long handle) {
    int info = live.infoOfHandle(handle);
    return info >= 0 && !LiveAllocations.isOwned(info);
  }

  /** Returns whether {@code handle} names a live allocation. */
  public boolean isAllocated(long handle) {
    return live.pfnOf(handle) >= 0;
  }

  /** Returns the order of the live allocation named by {@code handle}, or -1. */
  public int allocationOrder(long handle) {
    long pfn = live.pfnOf(handle);
    return pfn < 0 ? -1 : LiveAllocations.order(live.info(pfn));
  }

  /** Returns the head pfn of the live allocation named by {@code handle} now, or -1. */
  public long headPfn(long handle) {
    return live.pfnOf(handle);
  }

  /** The largest batch tag {@link #tagAllocations} takes. */
  public static final int MAX_BATCH_TAG = LiveAllocations.MAX_BATCH;

  /**
   * Tags the allocations made from now on with {@code batch} (1 to {@link #MAX_BATCH_TAG}; 0: no
   * batch), until tagged otherwise. Each allocation keeps its tag until freed.
   */
  public void tagAllocations(int batch) {
    live.tagWith(batch);
  }

  /**
   * Returns the batch tag of the live allocation named by {@code handle} (0: none), or -1; the tag
   * moves with a block compaction migrates.
   */
  public int batchOf(long handle) {
    int info = live.infoOfHandle(handle);
    return info < 0 ? -1 : LiveAllocations.batch(info);
  }

  /**
   * Models {@code __free_pages(page, order)} on CPU {@code cpu} for the allocation named by {@code
   * handle}, wherever compaction has moved it: orders the per-cpu lists cache go to them ({@code
   * free_unref_page()}), the others to the buddy lists ({@code __free_pages_ok()}).
   *
   * @return the order freed
   * @throws IllegalArgumentException if {@code handle} names no live allocation
   */
  public int freePages(int cpu, long handle) {
    int info = live.infoOfHandle(handle);
    if (info < 0) {
      throw new IllegalArgumentException("handle " + handle + " does not name a live allocation");
    }
    if (LiveAllocations.isOwned(info)) {
      throw new IllegalArgumentException(
          "handle "
              + handle
              + " belongs to the page cache or an anonymous mapping; its owner frees it");
    }
    return freeOwned(cpu, handle);
  }

  /**
   * Frees the live allocation named by {@code handle}, whoever owns it and wherever compaction has
   * moved it; returns its order.
   */
  int freeOwned(int cpu, long handle) {
    int info = live.removeHandle(handle);
    if (info < 0) {
      throw new IllegalArgumentException("handle " + handle + " does not name a live allocation");
    }
    long pfn = live.removedPfn();
    int order = LiveAllocations.order(info);
    Zone z = zoneOf(pfn);
    z.allocatedPages -= 1L << order;
    freeBlock(cpu, z, pfn, order);
    vmstat.freed[order]++;
    version++;
    return order;
  }

  /** Frees the pages of a block no allocation holds any longer, on CPU {@code cpu}. */
  void freeBlock(int cpu, Zone z, long pfn, int order) {
    if (PerCpuPages.allowedOrder(order)) {
      pcp.free(cpu, z, pfn, order, pageblocks.get(pfn));
    } else {
      buddy.freePages(z, pfn, order, false);
    }
  }

  // ------------------------------------------------------------------ compaction

  /** Returns whether the allocator compacts on its own (direct compaction and kcompactd). */
  public boolean compactionEnabled() {
    return compactionEnabled;
  }

  /**
   * Turns the allocator's own compaction on or off. A replay of a trace that carries the kernel's
   * compaction turns it off, so that memory is not compacted twice.
   */
  public void setCompactionEnabled(boolean enabled) {
    this.compactionEnabled = enabled;
  }

  /**
   * Models writing 1 to /proc/sys/vm/compact_memory ({@code compact_nodes()}): every zone compacted
   * whole, synchronously, on CPU {@code cpu}.
   */
  public void compactMemory(int cpu) {
    compaction.compactNode(cpu);
    version++;
  }

  /**
   * One expiry of kcompactd's 500 ms sleep: proactive compaction if the node's fragmentation score
   * calls for it ({@link Kcompactd#timeout}). Returns whether a proactive pass ran.
   */
  public boolean kcompactdTimeout() {
    boolean ran = kcompactd.timeout();
    if (ran) {
      version++;
    }
    return ran;
  }

  /** Returns whether the whole pageblock of {@code pfn} is parked (unaccepted) memory. */
  boolean isParkedPageblock(Zone z, long pfn) {
    ParkedChunks p = z.parked;
    int runs = p.runs();
    if (runs == 0) {
      return false;
    }
    long pb = pfn & -(long) Sizes.PAGEBLOCK_NR_PAGES;
    for (int r = 0; r < runs; r++) {
      long start = p.runStart(r);
      long end = start + (p.runChunks(r) << Sizes.MAX_ORDER);
      if (pb >= start && pb + Sizes.PAGEBLOCK_NR_PAGES <= end) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ reading

  /** Returns NR_FREE_PAGES over all zones (parked chunks included). */
  public long nrFreePages() {
    long n = 0;
    for (Zone z : zones) {
      n += z.nrFreePages;
    }
    return n;
  }

  /** Returns NR_UNACCEPTED over all zones. */
  public long nrUnaccepted() {
    long n = 0;
    for (Zone z : zones) {
      n += z.nrUnaccepted;
    }
    return n;
  }

  /** Returns the sum over all zones of one watermark, boost included. */
  public long watermarkPages(WatermarkLevel level) {
    long n = 0;
    for (Zone z : zones) {
      n += z.wmark(level.ordinal());
    }
    return n;
  }

  /** Returns MemTotal in pages: the sum of managed pages. */
  public long managedPages() {
    long n = 0;
    for (Zone z : zones) {
      n += z.managedPages;
    }
    return n;
  }

  /** Returns the pages on every CPU's per-cpu lists. */
  public long pcpPages() {
    long n = 0;
    for (Zone z : zones) {
      n += pcp.pages(z);
    }
    return n;
  }

  /** Returns the number of CPUs. */
  public int cpus() {
    return pcp.cpus();
  }

  /** Returns the number of live allocations. */
  public int liveAllocations() {
    return live.size();
  }

  /** Returns the heap the allocator's structures hold, in bytes. */
  public long heapBytes() {
    long parkedBytes = 0;
    for (Zone z : zones) {
      parkedBytes += z.parked.heapBytes();
    }
    return buddy.free.heapBytes()
        + live.heapBytes()
        + pageblocks.heapBytes()
        + skip.heapBytes()
        + pcp.heapBytes()
        + pageCache.heapBytes()
        + parkedBytes
        + 4096;
  }

  /**
   * Returns an immutable snapshot of every counter the views print.
   *
   * @param percpuPages pages of the first percpu chunk (for meminfo)
   * @param directMap bytes mapped at 4K, 2M and 1G in the direct map (for meminfo)
   * @param vcpus online CPUs (for zoneinfo's pagesets)
   */
  public MemorySnapshot snapshot(long percpuPages, long[] directMap, int vcpus) {
    return VmstatSnapshot.of(this, percpuPages, directMap, vcpus);
  }

  /** Calls {@code consumer} for every live allocation (its head pfn now, order, migrate type). */
  public void forEachAllocation(BlockConsumer consumer) {
    live.forEach(consumer);
  }

  /** Calls {@code consumer} for every free buddy block (head pfn, order, list migrate type). */
  public void forEachFreeBlock(BlockConsumer consumer) {
    FreeAreas free = buddy.free;
    for (int z = 0; z < ZoneType.POPULATABLE; z++) {
      for (int o = 0; o <= Sizes.MAX_ORDER; o++) {
        for (int m = 0; m < MigrateType.COUNT; m++) {
          for (int n = free.first(z, o, m); n != FreeAreas.NIL; n = free.next(n)) {
            consumer.accept(free.pfn(n), o, m);
          }
        }
      }
    }
  }

  /** Calls {@code consumer} for every run of parked chunks (first pfn, chunks, zone index). */
  public void forEachParkedRun(BlockConsumer consumer) {
    for (Zone z : zones) {
      for (int r = 0; r < z.parked.runs(); r++) {
        long[] run = z.parked.run(r);
        consumer.accept(run[0], (int) run[1], z.idx);
      }
    }
  }

  /** Receives blocks of memory: a head pfn and two numbers whose meaning the caller documents. */
  @FunctionalInterface
  public interface BlockConsumer {
    /** Called once per block. */
    void accept(long pfn, int order, int migratetype);
  }
}
