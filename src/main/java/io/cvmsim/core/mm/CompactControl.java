package io.cvmsim.core.mm;

import java.util.Arrays;

/**
 * Models {@code struct compact_control} (mm/internal.h): one compaction run over one zone — what it
 * is for (order, migrate type, alloc flags, the highest zone the caller may use), how hard it may
 * try (mode, whole zone, skip hints), where its two scanners are, and the pages it has isolated:
 * the allocations to migrate ({@code cc->migratepages}, by head pfn, in isolation order) and the
 * free pages to migrate them to ({@link CompactionFreepages}). Not thread safe.
 */
final class CompactControl {

  /** COMPACT_CLUSTER_MAX (SWAP_CLUSTER_MAX): pages isolated per migration batch. */
  static final int CLUSTER_MAX = 32;

  final Zone zone;

  /** The CPU compaction runs on: the allocating task's, or kcompactd's. */
  final int cpu;

  /** The order compaction is for; -1 for a whole-zone pass (compact_memory, proactive). */
  final int order;

  int searchOrder;

  /** gfp_migratetype() of the request (MOVABLE for kcompactd and compact_memory). */
  final int migratetype;

  final int allocFlags;
  final int highestZoneIdx;
  final MigrateMode mode;
  final boolean directCompaction;
  boolean wholeZone;
  final boolean ignoreSkipHint;
  final boolean ignoreBlockSuitable;
  final boolean proactiveCompaction;

  /** The page a direct compactor captured from the free path, or -1 ({@code capc->page}). */
  long capturedPfn = -1;

  /** Whether frees in the zone may be captured (direct compaction, {@code capture_control}). */
  final boolean capture;

  long migratePfn;
  long freePfn;
  long fastStartPfn;
  int fastSearchFail;
  boolean finishPageblock;
  long totalMigrateScanned;
  long totalFreeScanned;

  /** Pages isolated for migration ({@code cc->nr_migratepages}). */
  long nrMigratepages;

  private long[] migrate = new long[CLUSTER_MAX];
  private int nrMigrate;

  final CompactionFreepages freepages;

  CompactControl(
      Zone zone,
      int cpu,
      int order,
      int migratetype,
      int allocFlags,
      int highestZoneIdx,
      MigrateMode mode,
      boolean directCompaction,
      boolean wholeZone,
      boolean ignoreSkipHint,
      boolean ignoreBlockSuitable,
      boolean proactiveCompaction,
      CompactionFreepages.Layout layout) {
    this.zone = zone;
    this.cpu = cpu;
    this.order = order;
    this.searchOrder = order;
    this.migratetype = migratetype;
    this.allocFlags = allocFlags;
    this.highestZoneIdx = highestZoneIdx;
    this.mode = mode;
    this.directCompaction = directCompaction;
    this.wholeZone = wholeZone;
    this.ignoreSkipHint = ignoreSkipHint;
    this.ignoreBlockSuitable = ignoreBlockSuitable;
    this.proactiveCompaction = proactiveCompaction;
    this.capture = directCompaction;
    this.freepages = new CompactionFreepages(layout);
  }

  /** Pages isolated as migration targets ({@code cc->nr_freepages}). */
  long nrFreepages() {
    return freepages.nrFreepages;
  }

  /** Adds an isolated allocation to {@code cc->migratepages}. */
  void isolate(long pfn, int pages) {
    if (nrMigrate == migrate.length) {
      migrate = Arrays.copyOf(migrate, nrMigrate * 2);
    }
    migrate[nrMigrate++] = pfn;
    nrMigratepages += pages;
  }

  /** Returns how many allocations are isolated for migration. */
  int migrateBlocks() {
    return nrMigrate;
  }

  /**
   * Returns the head pfn of isolated allocation {@code i}, where 0 is the one isolated last: {@code
   * list_add()} puts each at the head of {@code cc->migratepages}, and {@code migrate_pages()}
   * walks the list from its head.
   */
  long migrateBlock(int i) {
    return migrate[nrMigrate - 1 - i];
  }

  /** Models {@code putback_movable_pages()}: forgets every isolated allocation. */
  void putback() {
    nrMigrate = 0;
    nrMigratepages = 0;
  }

  /** Returns whether compaction stands for {@code /proc/sys/vm/compact_memory} or proactive. */
  boolean wholeZonePass() {
    return order == -1;
  }
}
