package io.cvmsim.core.mm;

import io.cvmsim.core.stats.ProcDialect;

/**
 * The rules of Linux 6.1 LTS, the kernel Debian 12 ships: no unaccepted memory support at all, so
 * the firmware accepts every page before handing over, nothing is parked and nothing is accepted on
 * demand; /proc prints no Unaccepted line. Otherwise its allocator is 6.5's.
 */
final class Linux61 extends Linux65 {

  @Override
  public AcceptOnDemand acceptOnDemand() {
    return AcceptOnDemand.NONE;
  }

  @Override
  public boolean supportsUnacceptedMemory() {
    return false;
  }

  /** No accept_memory() at all: the firmware accepted everything, there is nothing to serialise. */
  @Override
  public boolean serialisesAcceptance() {
    return false;
  }

  @Override
  public ProcDialect procDialect() {
    return ProcDialect.LINUX_6_1;
  }

  /** No unaccepted term: the counter does not exist. */
  @Override
  public long unusableFree(Zone zone, int order, int allocFlags) {
    return highatomicAndOrder(zone, order, allocFlags);
  }

  /**
   * test_and_set_skip(cc, page, low_pfn) returns early unless low_pfn is pageblock aligned: the
   * hint is set only if the first candidate isolated is the pageblock's first page (mm/compaction.c
   * at v6.1; changed for v6.5).
   */
  @Override
  public boolean skipHintFromBlockStart() {
    return false;
  }

  /**
   * proactive_compact_node() does not count kcompactd's scanning (v6.3 added it): the recorded 6.1
   * kernel shows compact_daemon_migrate_scanned 0 after a proactive pass.
   */
  @Override
  public boolean countsProactiveKcompactdScans() {
    return false;
  }
}
