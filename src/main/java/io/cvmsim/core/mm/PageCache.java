package io.cvmsim.core.mm;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.ZoneType;
import java.util.Arrays;

/**
 * Models the page cache and anonymous memory as reclaim sees them (mm/filemap.c, mm/shmem.c,
 * mm/swap.c, mm/truncate.c): mappings — a file on a disk, a tmpfs file, or a process's anonymous
 * memory — each an array of page indices holding folios, every folio an allocation that the mapping
 * owns and that sits on an LRU list ({@link Lru}). New file folios start on the inactive file list,
 * new tmpfs and anonymous folios on the inactive anon list (both swap-backed, so without swap
 * reclaim never takes them); {@code folio_mark_accessed()} sets PG_referenced on a first access and
 * moves an inactive folio to the active list on the second. Dirty file folios count in
 * NR_FILE_DIRTY until they are written back ({@link Writeback}); writeback completes at once (the
 * simulator has no disk), so NR_WRITEBACK is 0 between operations.
 *
 * <p>The counters are the kernel's node counters: NR_FILE_PAGES (Cached plus Shmem: every folio of
 * a file or tmpfs mapping), NR_SHMEM, NR_ANON_MAPPED (AnonPages), NR_FILE_DIRTY, nr_dirtied and
 * nr_written. Cost follows the pages a guest touches: a mapping's index array grows with the
 * highest index it held.
 *
 * <p>Not thread safe: the owning VM serializes every call.
 */
final class PageCache {

  /** A file on a block device ({@code MappingKind.FILE.ordinal()}). */
  static final int FILE = 0;

  /** A tmpfs file (shmem): swap-backed, counted in Cached and Shmem. */
  static final int SHMEM = 1;

  /** A process's anonymous memory: swap-backed, counted in AnonPages. */
  static final int ANON = 2;

  private final PageAllocator allocator;
  private final Lru lru;
  private final Vmstat vmstat;

  // per mapping; slots hold folio id + 1 (0: no folio at that index)
  private int[][] slots = new int[16][];
  private byte[] kind = new byte[16];
  private long[] cached = new long[16];
  private long[] dirtyPages = new long[16];
  private int[] dirtyFrom = new int[16];
  private boolean[] live = new boolean[16];
  private boolean[] queued = new boolean[16];
  private int used;
  private int[] freeIds = new int[16];
  private int freeCount;

  // mappings with dirty folios, oldest first (the flusher's b_dirty list)
  private int[] dirtyQueue = new int[16];
  private int dirtyHead;
  private int dirtyCount;

  /** NR_FILE_PAGES: folios of files and tmpfs files. */
  long filePages;

  /** NR_SHMEM. */
  long shmemPages;

  /** NR_ANON_MAPPED. */
  long anonPages;

  /** NR_FILE_DIRTY. */
  long dirty;

  /** NR_ZONE_WRITE_PENDING per zone (dirty pages; writeback ends at once). */
  final long[] zoneDirty = new long[ZoneType.COUNT];

  PageCache(PageAllocator allocator, Lru lru, Vmstat vmstat) {
    this.allocator = allocator;
    this.lru = lru;
    this.vmstat = vmstat;
  }

  // ------------------------------------------------------------------ mappings

  /** Creates an empty mapping of {@code mappingKind}; returns its id. */
  int create(int mappingKind) {
    int m;
    if (freeCount > 0) {
      m = freeIds[--freeCount];
    } else {
      if (used == kind.length) {
        int cap = used * 2;
        slots = Arrays.copyOf(slots, cap);
        kind = Arrays.copyOf(kind, cap);
        cached = Arrays.copyOf(cached, cap);
        dirtyPages = Arrays.copyOf(dirtyPages, cap);
        dirtyFrom = Arrays.copyOf(dirtyFrom, cap);
        live = Arrays.copyOf(live, cap);
        queued = Arrays.copyOf(queued, cap);
      }
      m = used++;
    }
    kind[m] = (byte) mappingKind;
    slots[m] = new int[8];
    cached[m] = 0;
    dirtyPages[m] = 0;
    dirtyFrom[m] = Integer.MAX_VALUE;
    live[m] = true;
    return m;
  }

  /** Returns whether {@code m} names a live mapping. */
  boolean isLive(int m) {
    return m >= 0 && m < used && live[m];
  }

  /** Returns the kind of mapping {@code m}. */
  int kind(int m) {
    return kind[m];
  }

  /** Returns the pages mapping {@code m} holds. */
  long cached(int m) {
    return cached[m];
  }

  /** Returns the folio at page {@code idx} of mapping {@code m}, or {@link Lru#NONE}. */
  int lookup(int m, int idx) {
    int[] s = slots[m];
    return idx < s.length ? s[idx] - 1 : Lru.NONE;
  }

  /**
   * Models adding a new folio to a mapping ({@code filemap_add_folio()}, a tmpfs or anonymous
   * fault): allocates a block of {@code order} with {@code gfp} on {@code cpu} (which may reclaim
   * and wake kswapd), puts it at page {@code idx} (aligned to the order) and at the head of its
   * inactive list, dirty if {@code dirty}. Returns the allocation's handle (its head pfn unless
   * compaction moves it), or -1 if the allocation failed.
   *
   * @throws IllegalArgumentException if the index is taken or misaligned
   */
  long add(int cpu, int m, int idx, Gfp gfp, int order, boolean dirtyFolio) {
    long nr = 1L << order;
    if ((idx & (nr - 1)) != 0 || idx < 0 || idx > Integer.MAX_VALUE - nr) {
      throw new IllegalArgumentException("index " + idx + " is not aligned to order " + order);
    }
    for (int i = idx; i < idx + nr; i++) {
      if (lookup(m, i) != Lru.NONE) {
        throw new IllegalArgumentException("page " + i + " of mapping " + m + " is cached");
      }
    }
    long handle = allocator.allocPages(cpu, gfp, order);
    if (handle < 0) {
      return -1;
    }
    allocator.live.own(handle);
    int zoneIdx = allocator.zoneOf(allocator.headPfn(handle)).idx;
    int k = kind[m];
    int id = lru.create(handle, zoneIdx, order, m, idx, k == FILE ? 0 : Lru.SWAPBACKED);
    int[] s = slots[m];
    if (idx + nr > s.length) {
      s = slots[m] = Arrays.copyOf(s, (int) Math.max(s.length * 2L, idx + nr));
    }
    for (int i = idx; i < idx + nr; i++) {
      s[i] = id + 1;
    }
    cached[m] += nr;
    if (k == ANON) {
      anonPages += nr;
    } else {
      filePages += nr;
      if (k == SHMEM) {
        shmemPages += nr;
      }
    }
    lru.addHead(id, k == FILE ? Lru.INACTIVE_FILE : Lru.INACTIVE_ANON);
    if (dirtyFolio && k == FILE) {
      markDirty(id);
    }
    return handle;
  }

  /**
   * Models {@code folio_mark_accessed()} on the folio at page {@code idx} of {@code m}: returns
   * whether it is cached (a hit).
   */
  boolean access(int m, int idx) {
    int id = lookup(m, idx);
    if (id == Lru.NONE) {
      return false;
    }
    if (!lru.test(id, Lru.REFERENCED)) {
      lru.set(id, Lru.REFERENCED);
    } else if (!Lru.isActive(lru.lru(id)) && lru.test(id, Lru.ON_LRU)) {
      int list = lru.lru(id);
      lru.remove(id);
      lru.addHead(id, list | 1);
      lru.clear(id, Lru.REFERENCED);
      vmstat.pgactivate += lru.nrPages(id);
    }
    return true;
  }

  /**
   * Models {@code folio_mark_dirty()} for a file folio: counted in NR_FILE_DIRTY and nr_dirtied,
   * its mapping queued for the flusher.
   */
  void markDirty(int id) {
    if (lru.test(id, Lru.DIRTY) || lru.test(id, Lru.SWAPBACKED)) {
      return;
    }
    lru.set(id, Lru.DIRTY);
    long nr = lru.nrPages(id);
    int m = lru.mapping(id);
    dirty += nr;
    zoneDirty[lru.zone(id)] += nr;
    dirtyPages[m] += nr;
    dirtyFrom[m] = Math.min(dirtyFrom[m], lru.index(id));
    vmstat.nrDirtied += nr;
    if (!queued[m]) {
      queued[m] = true;
      if (dirtyCount == dirtyQueue.length) {
        int[] q = new int[dirtyQueue.length * 2];
        for (int i = 0; i < dirtyCount; i++) {
          q[i] = dirtyQueue[(dirtyHead + i) % dirtyQueue.length];
        }
        dirtyQueue = q;
        dirtyHead = 0;
      }
      dirtyQueue[(dirtyHead + dirtyCount) % dirtyQueue.length] = m;
      dirtyCount++;
    }
  }

  /** Marks the folio at page {@code idx} of {@code m} dirty (a write to a cached page). */
  boolean dirty(int m, int idx) {
    int id = lookup(m, idx);
    if (id == Lru.NONE) {
      return false;
    }
    markDirty(id);
    return true;
  }

  /**
   * Writes back one dirty folio: PG_dirty cleared, NR_FILE_DIRTY down, nr_written up (writeback
   * starts and, with no disk in the model, ends at once).
   */
  void cleanFolio(int id) {
    if (!cancelDirty(id)) {
      return;
    }
    vmstat.nrWritten += lru.nrPages(id);
    if (lru.test(id, Lru.RECLAIM)) {
      // folio_end_writeback(): a folio reclaim wanted goes to the inactive tail
      lru.clear(id, Lru.RECLAIM);
      int list = lru.lru(id);
      if (lru.test(id, Lru.ON_LRU) && !Lru.isActive(list)) {
        lru.remove(id);
        lru.addTail(id, list);
        vmstat.pgrotated += lru.nrPages(id);
      }
    }
  }

  /**
   * Models {@code folio_cancel_dirty()}: clears PG_dirty without writing; returns if it was set.
   */
  private boolean cancelDirty(int id) {
    if (!lru.test(id, Lru.DIRTY)) {
      return false;
    }
    lru.clear(id, Lru.DIRTY);
    long nr = lru.nrPages(id);
    int m = lru.mapping(id);
    dirty -= nr;
    zoneDirty[lru.zone(id)] -= nr;
    dirtyPages[m] -= nr;
    return true;
  }

  /**
   * Writes back the dirty folios of mapping {@code m} in index order, at most {@code maxPages}
   * pages ({@code do_writepages()}); returns the pages written.
   */
  long writeback(int m, long maxPages) {
    long written = 0;
    int[] s = slots[m];
    int i = Math.max(0, dirtyFrom[m]);
    while (i < s.length && dirtyPages[m] > 0 && written < maxPages) {
      int id = s[i] - 1;
      if (id != Lru.NONE && lru.index(id) == i && lru.test(id, Lru.DIRTY)) {
        written += lru.nrPages(id);
        cleanFolio(id);
      }
      i++;
    }
    dirtyFrom[m] = dirtyPages[m] == 0 ? Integer.MAX_VALUE : i;
    return written;
  }

  /**
   * Models the flusher's background writeback ({@code wb_writeback()} over b_dirty): writes back
   * whole mappings, oldest dirtied first, until {@code pages} pages are written; returns the pages
   * written.
   */
  long writebackOldest(long pages) {
    long written = 0;
    while (written < pages && dirtyCount > 0) {
      int m = dirtyQueue[dirtyHead];
      if (live[m]) {
        written += writeback(m, pages - written);
      }
      if (!live[m] || dirtyPages[m] == 0) {
        dirtyHead = (dirtyHead + 1) % dirtyQueue.length;
        dirtyCount--;
        queued[m] = false;
        if (!live[m]) {
          recycle(m);
        }
      }
    }
    return written;
  }

  // ------------------------------------------------------------------ removal

  /**
   * Models removing the folio at page {@code idx} of {@code m} and freeing it on {@code cpu} (a
   * truncated page cache page, an unmapped anonymous page); returns whether there was one.
   */
  boolean delete(int cpu, int m, int idx) {
    int id = lookup(m, idx);
    if (id == Lru.NONE) {
      return false;
    }
    if (lru.test(id, Lru.ON_LRU)) {
      lru.remove(id);
    }
    release(cpu, id);
    return true;
  }

  /**
   * Models {@code truncate_inode_pages()} and unlinking (or a process exit for anonymous memory):
   * every folio of {@code m} freed on {@code cpu}, the mapping gone.
   */
  void destroy(int cpu, int m) {
    int[] s = slots[m];
    for (int i = 0; i < s.length; i++) {
      int id = s[i] - 1;
      if (id != Lru.NONE && lru.index(id) == i) {
        if (lru.test(id, Lru.ON_LRU)) {
          lru.remove(id);
        }
        release(cpu, id);
      }
    }
    live[m] = false;
    slots[m] = null;
    if (!queued[m]) {
      recycle(m);
    }
  }

  private void recycle(int m) {
    if (freeCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeCount * 2);
    }
    freeIds[freeCount++] = m;
  }

  /**
   * Models {@code __remove_mapping()} and the free that follows for folio {@code id}, already off
   * its list: the mapping forgets it, the counters drop, the block is freed on {@code cpu}.
   */
  void release(int cpu, int id) {
    cancelDirty(id);
    int m = lru.mapping(id);
    int idx = lru.index(id);
    long nr = lru.nrPages(id);
    int[] s = slots[m];
    for (int i = idx; i < idx + nr; i++) {
      s[i] = 0;
    }
    cached[m] -= nr;
    int k = kind[m];
    if (k == ANON) {
      anonPages -= nr;
    } else {
      filePages -= nr;
      if (k == SHMEM) {
        shmemPages -= nr;
      }
    }
    long handle = lru.handle(id);
    lru.destroy(id);
    allocator.freeOwned(cpu, handle);
  }

  /** Calls {@code consumer} for every folio of every live mapping (folio id, mapping, index). */
  void forEachFolio(FolioVisitor consumer) {
    for (int m = 0; m < used; m++) {
      if (!live[m]) {
        continue;
      }
      int[] s = slots[m];
      for (int i = 0; i < s.length; i++) {
        int id = s[i] - 1;
        if (id != Lru.NONE) {
          consumer.visit(id, m, i);
        }
      }
    }
  }

  /** Returns the heap held, in bytes. */
  long heapBytes() {
    long b = 128 + 40L * kind.length + 4L * dirtyQueue.length;
    for (int m = 0; m < used; m++) {
      if (slots[m] != null) {
        b += 16 + 4L * slots[m].length;
      }
    }
    return b + lru.heapBytes();
  }

  /** Receives the folios of the mappings. */
  @FunctionalInterface
  interface FolioVisitor {
    void visit(int id, int mapping, int index);
  }
}
