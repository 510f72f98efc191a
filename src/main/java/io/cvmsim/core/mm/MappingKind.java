package io.cvmsim.core.mm;

/**
 * What backs a mapping of the {@link PageCache}: how reclaim treats its folios and which /proc
 * counters hold them.
 */
public enum MappingKind {
  /** A file on a block device: Cached, the file LRU lists; reclaim drops clean folios. */
  FILE(PageCache.FILE),

  /** A tmpfs file (shmem): Cached and Shmem, the anon LRU lists; kept without swap. */
  SHMEM(PageCache.SHMEM),

  /** A process's anonymous memory: AnonPages, the anon LRU lists; kept without swap. */
  ANON(PageCache.ANON);

  final int code;

  MappingKind(int code) {
    this.code = code;
  }
}
