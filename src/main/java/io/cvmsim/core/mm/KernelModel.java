package io.cvmsim.core.mm;

import java.util.Locale;

/**
 * The kernel whose page-allocator rules a VM follows: {@code 6.5}, the release that merged
 * unaccepted memory, or {@code mainline} (reconstructed as kernel-behaviour.md §10 describes). The
 * differences are data and strategy objects chosen once per VM, never checks scattered through the
 * allocator.
 */
public enum KernelModel {
  V6_5(
      "6.5",
      new StealFallback(),
      new TryToAcceptMemory(),
      true,
      false,
      false,
      false,
      false,
      253,
      false,
      false,
      AllocFlags.OOM | AllocFlags.NON_BLOCK,
      false),
  MAINLINE(
      "mainline",
      new ClaimStealFallback(),
      new CondAcceptMemory(),
      false,
      true,
      true,
      true,
      true,
      64,
      true,
      true,
      AllocFlags.OOM | AllocFlags.HIGHATOMIC,
      true);

  private final String label;
  final FallbackPolicy fallback;
  final AcceptOnDemand acceptOnDemand;

  /** 6.5: __zone_watermark_unusable_free() counts NR_UNACCEPTED as unusable (until v6.11). */
  final boolean unacceptedIsUnusable;

  /** Mainline: the highatomic term of the unusable free pages is nr_free_highatomic. */
  final boolean highatomicTermIsFree;

  /** Mainline: lowmem_reserve is 0 for an empty upper zone; Movable excluded from lowmem_pages. */
  final boolean lowmemReserveSkipsEmptyZones;

  /** Mainline: /proc/zoneinfo prints the promo watermark, meminfo prints Balloon. */
  final boolean printsPromoAndBalloon;

  /** Mainline: a Movable zone's min watermark is clamp(managed / 1024, 32, 128) like highmem. */
  final boolean movableMinClamped;

  /** VMGEXIT_PSC_MAX_ENTRY: 253 in 6.5, 64 in mainline. */
  final int snpPscMaxEntries;

  /** Mainline (v6.10+): merging with a buddy of another pageblock type converts that pageblock. */
  final boolean mergeAdoptsBuddyType;

  /**
   * Mainline (v6.10+): blocks above pageblock_order are freed per pageblock (split_large_buddy).
   */
  final boolean splitLargeBuddyOnFree;

  /** rmqueue_buddy() falls back to HIGHATOMIC lists with any of these alloc flags. */
  final int highatomicFallbackFlags;

  /**
   * Mainline (v6.12+): reserve_highatomic_pageblock() needs 1% of the zone to be at least a
   * pageblock, caps at that 1% rounded to pageblocks, and claims whole ranges for large orders.
   */
  final boolean highatomicReserveByOrder;

  KernelModel(
      String label,
      FallbackPolicy fallback,
      AcceptOnDemand acceptOnDemand,
      boolean unacceptedIsUnusable,
      boolean highatomicTermIsFree,
      boolean lowmemReserveSkipsEmptyZones,
      boolean printsPromoAndBalloon,
      boolean movableMinClamped,
      int snpPscMaxEntries,
      boolean mergeAdoptsBuddyType,
      boolean splitLargeBuddyOnFree,
      int highatomicFallbackFlags,
      boolean highatomicReserveByOrder) {
    this.label = label;
    this.fallback = fallback;
    this.acceptOnDemand = acceptOnDemand;
    this.unacceptedIsUnusable = unacceptedIsUnusable;
    this.highatomicTermIsFree = highatomicTermIsFree;
    this.lowmemReserveSkipsEmptyZones = lowmemReserveSkipsEmptyZones;
    this.printsPromoAndBalloon = printsPromoAndBalloon;
    this.movableMinClamped = movableMinClamped;
    this.snpPscMaxEntries = snpPscMaxEntries;
    this.mergeAdoptsBuddyType = mergeAdoptsBuddyType;
    this.splitLargeBuddyOnFree = splitLargeBuddyOnFree;
    this.highatomicFallbackFlags = highatomicFallbackFlags;
    this.highatomicReserveByOrder = highatomicReserveByOrder;
  }

  /** Returns the label the API uses: "6.5" or "mainline". */
  public String label() {
    return label;
  }

  /** Returns whether /proc/zoneinfo has a "promo" line and /proc/meminfo a "Balloon:" line. */
  public boolean printsPromoAndBalloon() {
    return printsPromoAndBalloon;
  }

  /** Returns VMGEXIT_PSC_MAX_ENTRY of this kernel. */
  public int snpPscMaxEntries() {
    return snpPscMaxEntries;
  }

  /** Returns the model with this label ("6.5", "mainline"; case-insensitive). */
  public static KernelModel ofLabel(String label) {
    String l = label.trim().toLowerCase(Locale.ROOT);
    for (KernelModel k : values()) {
      if (k.label.equals(l) || k.name().equalsIgnoreCase(l)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown kernel '" + label + "' (use 6.5 or mainline)");
  }
}
