package io.cvmsim.core.mm;

/**
 * Models page migration for compaction ({@code migrate_pages()} of mm/migrate.c with {@code
 * compaction_alloc()} as the allocator of new pages, reason MR_COMPACTION): every isolated
 * allocation, in the order {@code cc->migratepages} holds them, gets a free block of its order from
 * the free scanner, its contents move there ({@link LiveAllocations#move}: its handle stays, its
 * head pfn changes) and the old block is freed through the normal free path of the compacting CPU
 * (the per-cpu lists for the orders they cache), as {@code folio_put()} of the source does. A
 * migration stops at the first allocation for which no free block can be had (-ENOMEM); the rest is
 * put back where it was.
 */
final class Migration {

  private final PageAllocator a;
  private final FreeScanner freeScanner;

  Migration(PageAllocator a, FreeScanner freeScanner) {
    this.a = a;
    this.freeScanner = freeScanner;
  }

  /**
   * Migrates every allocation {@code cc} isolated; returns false if it ran out of free blocks to
   * migrate to (-ENOMEM). Counts PGMIGRATE_SUCCESS in pages.
   */
  boolean migratePages(CompactControl cc) {
    Zone z = cc.zone;
    int n = cc.migrateBlocks();
    for (int i = 0; i < n; i++) {
      long src = cc.migrateBlock(i);
      int info = a.live.info(src);
      if (info < 0) {
        continue;
      }
      int order = LiveAllocations.order(info);
      long dst = freeScanner.compactionAlloc(cc, order);
      if (dst < 0) {
        return false;
      }
      if (cc.freepages.layout() == CompactionFreepages.Layout.BY_ORDER) {
        cc.nrMigratepages -= 1L << order;
      }
      a.live.move(src, dst);
      a.freeBlock(cc.cpu, z, src, order);
      a.vmstat.pgmigrateSuccess += 1L << order;
    }
    return true;
  }
}
