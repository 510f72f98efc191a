package io.cvmsim.core.mm;

/**
 * Models {@code enum migrate_mode} (include/linux/migrate_mode.h): how hard a migration may try.
 * The simulator never blocks, so the modes differ only where compaction's scanners choose pages and
 * pageblocks by them.
 */
enum MigrateMode {
  /** MIGRATE_ASYNC: never block. */
  ASYNC,
  /** MIGRATE_SYNC_LIGHT: may block, but not on writeback. */
  SYNC_LIGHT,
  /** MIGRATE_SYNC: may block. */
  SYNC
}
