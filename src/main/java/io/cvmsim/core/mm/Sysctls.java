package io.cvmsim.core.mm;

/**
 * The vm.* sysctls the page allocator and compaction read (/proc/sys/vm), with the kernel's
 * defaults. min_free_kbytes is computed at boot unless a user set it.
 */
final class Sysctls {

  /** vm.min_free_kbytes. */
  long minFreeKbytes = 1024;

  /** The value a user wrote to vm.min_free_kbytes, or -1 (user_min_free_kbytes). */
  long userMinFreeKbytes = -1;

  /** vm.watermark_scale_factor, in 1/10000 of a zone's managed pages. */
  int watermarkScaleFactor = 10;

  /** vm.watermark_boost_factor, in 1/10000 of the high watermark. */
  int watermarkBoostFactor = 15000;

  /**
   * vm.extfrag_threshold: a costly request whose fragmentation index is at most this is taken to
   * fail for lack of memory, not fragmentation, and is not compacted (mm/compaction.c, 500).
   */
  int extfragThreshold = 500;

  /** vm.compaction_proactiveness, 0 to 100 (mm/compaction.c, 20). */
  int compactionProactiveness = 20;
}
