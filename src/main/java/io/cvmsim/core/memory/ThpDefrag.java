package io.cvmsim.core.memory;

import java.util.Locale;

/**
 * The setting of /sys/kernel/mm/transparent_hugepage/defrag, and the GFP mask a transparent huge
 * page fault asks with under it: models {@code vma_thp_gfp_mask()} (mm/huge_memory.c, the same in
 * v6.1 and v6.12) and the first attempt of {@code vma_alloc_folio()} (mm/mempolicy.c), which tries
 * the local node only, with {@code __GFP_THISNODE | __GFP_NORETRY}: "don't reclaim unnecessarily,
 * just compact".
 *
 * <p>Whether a fault reclaims and compacts directly (__GFP_DIRECT_RECLAIM), wakes kswapd and
 * kcompactd (__GFP_KSWAPD_RECLAIM) or does neither depends on the setting and on whether the
 * mapping was {@code madvise(MADV_HUGEPAGE)}d. Debian's kernels (and the recorded ones) default to
 * {@link #MADVISE}: a compiler's or a shell's memory is not madvised, so its THP faults neither
 * compact nor wake kcompactd.
 */
public enum ThpDefrag {
  /** "always": direct reclaim and compaction; __GFP_NORETRY unless madvised. */
  ALWAYS("always"),
  /** "defer": wake kswapd and kcompactd, fail fast. */
  DEFER("defer"),
  /** "defer+madvise": direct if madvised, otherwise wake kswapd and kcompactd. */
  DEFER_MADVISE("defer+madvise"),
  /** "madvise": direct if madvised, otherwise nothing (the default). */
  MADVISE("madvise"),
  /** "never": neither. */
  NEVER("never");

  private final String label;

  ThpDefrag(String label) {
    this.label = label;
  }

  /** Returns the word the sysfs file shows in brackets. */
  public String label() {
    return label;
  }

  /** Returns the setting of this label. */
  public static ThpDefrag ofLabel(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (ThpDefrag d : values()) {
      if (d.label.equals(t)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown THP defrag setting '" + s + "' (always, defer, defer+madvise, madvise, never)");
  }

  /** Models {@code vma_thp_gfp_mask()}: the fault's mask before the mempolicy adds its bits. */
  public Gfp vmaMask(boolean madvised) {
    int light = Gfp.GFP_TRANSHUGE_LIGHT.bits();
    int bits =
        switch (this) {
          case ALWAYS -> Gfp.GFP_TRANSHUGE.bits() | (madvised ? 0 : Gfp.NORETRY);
          case DEFER -> light | Gfp.KSWAPD_RECLAIM;
          case DEFER_MADVISE -> light | (madvised ? Gfp.DIRECT_RECLAIM : Gfp.KSWAPD_RECLAIM);
          case MADVISE -> light | (madvised ? Gfp.DIRECT_RECLAIM : 0);
          case NEVER -> light;
        };
    return Gfp.ofBits(bits);
  }

  /**
   * Returns the mask of the first allocation a THP fault makes: {@link #vmaMask} with
   * __GFP_THISNODE and __GFP_NORETRY, as {@code vma_alloc_folio()} asks the local node (the
   * recordings show {@code GFP_TRANSHUGE|__GFP_NORETRY|__GFP_THISNODE} for madvised faults).
   */
  public Gfp faultMask(boolean madvised) {
    return Gfp.ofBits(vmaMask(madvised).bits() | Gfp.THISNODE | Gfp.NORETRY);
  }
}
