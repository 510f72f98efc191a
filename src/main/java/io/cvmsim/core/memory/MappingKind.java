package io.cvmsim.core.memory;

/**
 * What backs a page cache mapping (core.mm's PageCache, mm/filemap.c, mm/shmem.c): how reclaim
 * treats its folios and which /proc counters hold them. The allocator numbers the kinds by their
 * ordinal.
 */
public enum MappingKind {
  /** A file on a block device: Cached, the file LRU lists; reclaim drops clean folios. */
  FILE,

  /** A tmpfs file (shmem): Cached and Shmem, the anon LRU lists; kept without swap. */
  SHMEM,

  /** A process's anonymous memory: AnonPages, the anon LRU lists; kept without swap. */
  ANON
}
