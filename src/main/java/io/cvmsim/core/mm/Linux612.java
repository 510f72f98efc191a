package io.cvmsim.core.mm;

import io.cvmsim.core.stats.ProcDialect;

/**
 * The rules of Linux 6.12 LTS, the kernel most distributions ship to confidential guests (Debian
 * 12's backports, recorded in the corpus): mainline's rules except where the later changes had not
 * arrived — fallbacks steal as v6.10–v6.14 did ({@link HygieneStealFallback}, before v6.15's claim
 * and steal split), and the highatomic term of the unusable free pages is still the reserved
 * pageblocks (nr_free_highatomic came in v6.13). /proc prints the promo watermark, Unaccepted and
 * nr_unaccepted, no Balloon line and no nr_free_pages_blocks.
 */
final class Linux612 extends Mainline {

  private static final FallbackPolicy FALLBACK = new HygieneStealFallback();

  @Override
  public FallbackPolicy fallback() {
    return FALLBACK;
  }

  @Override
  public ProcDialect procDialect() {
    return ProcDialect.LINUX_6_12;
  }

  /** The highatomic term is nr_reserved_highatomic; parked memory counts as free (v6.11). */
  @Override
  public long unusableFree(Zone zone, int order, int allocFlags) {
    return Linux65.highatomicAndOrder(zone, order, allocFlags);
  }
}
