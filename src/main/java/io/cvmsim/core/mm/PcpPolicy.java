package io.cvmsim.core.mm;

import io.cvmsim.core.memory.MigrateType;

/**
 * How one kernel sizes the bulk operations of its per-cpu lists ({@link Pageset}): which list a
 * block goes to, high and batch, how many blocks a refill takes from the buddy lists and how many a
 * free sends back. Two generations: {@link #STATIC} (6.1–6.6: high from the low watermark, doubling
 * free batches) and {@link #ADAPTIVE} (6.7+: high between high_min and high_max that grows while a
 * CPU frees and shrinks under pressure, scaled refills).
 */
enum PcpPolicy {

  /**
   * Linux 6.1–6.6 (mm/page_alloc.c at dcdfdd40fa82): one THP list; high fixed at the low watermark
   * split over the CPUs; refills of batch blocks (batch >> order, at least 2, for high orders); a
   * free past high sends back batch << free_factor pages, free_factor doubling while a CPU only
   * frees; a high-order free after a free sends everything back.
   */
  STATIC(1) {
    @Override
    void setHighAndBatch(Pageset p, long lowWatermark, long managed, int cpus, int batch) {
      p.batch = batch;
      p.high = p.highMin = p.highMax = zoneHighsize(lowWatermark, cpus, batch);
    }

    @Override
    int refillCount(Pageset p, boolean zoneBelowHigh, int order) {
      int batch = p.batch;
      return order > 0 ? Math.max(batch >> order, 2) : batch;
    }

    @Override
    void onAlloc(Pageset p) {
      p.freeCount >>= 1;
    }

    @Override
    boolean freeHigh(Pageset p, int order) {
      return p.freeCount > 0 && order > 0 && order <= Pageset.COSTLY_ORDER;
    }

    @Override
    void onFree(Pageset p, int order) {}

    @Override
    int high(Pageset p, boolean freeHigh, boolean reclaimActive, boolean zoneBelowHigh) {
      if (p.high == 0 || freeHigh) {
        return 0;
      }
      return reclaimActive ? Math.min(p.batch << 2, p.high) : p.high;
    }

    @Override
    int freeCount(Pageset p, int high, boolean freeHigh) {
      if (freeHigh) {
        return p.count;
      }
      if (high < p.batch) {
        return 1;
      }
      int min = p.batch;
      int max = high - p.batch;
      int batch = p.batch << Math.min(p.freeCount, 30);
      if (batch < max) {
        p.freeCount++;
      }
      return Math.max(min, Math.min(batch, max));
    }

    @Override
    boolean drainToPageblockType() {
      return false;
    }

    @Override
    boolean detectsZoneBelowHigh() {
      return false;
    }
  },

  /**
   * Linux 6.7+ ("mm, pcp: reduce lock contention for draining high-order pages", "mm: tune PCP high
   * automatically"): two THP lists (movable, others); high_min from the low watermark, high_max
   * from an eighth of the zone, high grows by a batch per refill while the zone is above its high
   * watermark and shrinks by what was freed below it or while reclaim runs; refills of batch <<
   * alloc_factor order-0 pages; frees send back the pages freed in a row (free_count).
   */
  ADAPTIVE(2) {
    /** CONFIG_PCP_BATCH_SCALE_MAX. */
    static final int SCALE_MAX = 5;

    /** MIN_PERCPU_PAGELIST_HIGH_FRACTION. */
    static final int MIN_HIGH_FRACTION = 8;

    /**
     * pageset_update() sets batch, high_min and high_max only (mm/page_alloc.c since 51a755c56dc0
     * "mm: tune PCP high automatically", v6.7; at v6.12): pcp->high stays at the boot pageset's 0
     * until this CPU's first refill (nr_pcp_alloc()) or free (nr_pcp_high()) in the zone clamps it
     * into [high_min, high_max]. So zoneinfo prints "high: 0" for a zone nobody used, as the
     * recorded 6.12 kernels do for DMA.
     */
    @Override
    void setHighAndBatch(Pageset p, long lowWatermark, long managed, int cpus, int batch) {
      p.batch = batch;
      p.highMin = zoneHighsize(lowWatermark, cpus, batch);
      p.highMax = zoneHighsize(managed / MIN_HIGH_FRACTION, cpus, batch);
    }

    @Override
    int refillCount(Pageset p, boolean zoneBelowHigh, int order) {
      int base = p.batch;
      int high = p.high = Math.max(p.highMin, Math.min(p.high, p.highMax));
      if (high < base) {
        return 1;
      }
      int batch = order > 0 ? base : base << p.allocFactor;
      if (p.highMin != p.highMax && !zoneBelowHigh) {
        high = p.high = Math.min(high + batch, p.highMax);
      }
      if (order == 0) {
        int maxAlloc = Math.max(high - p.count - base, base);
        if (batch <= maxAlloc && p.allocFactor < SCALE_MAX) {
          p.allocFactor++;
        }
        batch = Math.min(batch, maxAlloc);
      }
      if (batch > 1) {
        batch = Math.max(batch >> order, 2);
      }
      return batch;
    }

    @Override
    void onAlloc(Pageset p) {
      p.freeCount >>= 1;
    }

    @Override
    boolean freeHigh(Pageset p, int order) {
      boolean high = false;
      if (order > 0 && order <= Pageset.COSTLY_ORDER) {
        high = p.freeCount >= p.batch && p.prevFreeHighOrder;
        p.prevFreeHighOrder = true;
      } else {
        p.prevFreeHighOrder = false;
      }
      return high;
    }

    @Override
    void onFree(Pageset p, int order) {
      p.allocFactor >>= 1;
      if (p.freeCount < (p.batch << SCALE_MAX)) {
        p.freeCount += 1 << order;
      }
    }

    @Override
    int high(Pageset p, boolean freeHigh, boolean reclaimActive, boolean zoneBelowHigh) {
      int high = p.high = Math.max(p.highMin, Math.min(p.high, p.highMax));
      if (high == 0) {
        return 0;
      }
      if (freeHigh) {
        p.high = Math.max(high - (p.batch << SCALE_MAX), p.highMin);
        return 0;
      }
      if (reclaimActive) {
        int freeCount = Math.max(p.freeCount, p.batch);
        p.high = Math.max(high - freeCount, p.highMin);
        return Math.min(p.batch << 2, p.high);
      }
      if (p.highMin == p.highMax) {
        return high;
      }
      if (zoneBelowHigh) {
        int freeCount = Math.max(p.freeCount, p.batch);
        p.high = Math.max(high - freeCount, p.highMin);
        high = Math.max(p.count, p.highMin);
      } else if (p.count >= high) {
        int need = p.freeCount + p.batch;
        if (p.high < need) {
          p.high = Math.max(p.highMin, Math.min(need, p.highMax));
        }
      }
      return high;
    }

    @Override
    int freeCount(Pageset p, int high, boolean freeHigh) {
      if (freeHigh) {
        return Math.min(p.count, p.batch << SCALE_MAX);
      }
      if (high < p.batch) {
        return 1;
      }
      return Math.max(p.batch, Math.min(p.freeCount, high - p.batch));
    }

    @Override
    boolean drainToPageblockType() {
      return true;
    }

    @Override
    boolean detectsZoneBelowHigh() {
      return true;
    }
  };

  private final int thpLists;

  PcpPolicy(int thpLists) {
    this.thpLists = thpLists;
  }

  /** Returns NR_PCP_LISTS. */
  int lists() {
    return Pageset.LOW_LISTS + thpLists;
  }

  /** Models {@code order_to_pindex()}: the list of a block of {@code order} and type {@code mt}. */
  int pindex(int mt, int order) {
    if (order > Pageset.COSTLY_ORDER) {
      return Pageset.LOW_LISTS + (thpLists > 1 && mt == Buddy.MOVABLE ? 1 : 0);
    }
    return MigrateType.PCPTYPES * order + mt;
  }

  /** Models {@code zone_set_pageset_high_and_batch()} for one CPU's pageset. */
  abstract void setHighAndBatch(Pageset p, long lowWatermark, long managed, int cpus, int batch);

  /** Models the refill size of {@code rmqueue_pcplist()} (nr_pcp_alloc() in 6.7+). */
  abstract int refillCount(Pageset p, boolean zoneBelowHigh, int order);

  /** Called when a block is taken from the lists. */
  abstract void onAlloc(Pageset p);

  /** Returns whether a free of {@code order} sends back as much as possible ("free_high"). */
  abstract boolean freeHigh(Pageset p, int order);

  /** Called when a block is added to the lists by a free. */
  abstract void onFree(Pageset p, int order);

  /** Models {@code nr_pcp_high()}: the count at which this free sends pages back. */
  abstract int high(Pageset p, boolean freeHigh, boolean reclaimActive, boolean zoneBelowHigh);

  /** Models {@code nr_pcp_free()}: how many pages the free sends back. */
  abstract int freeCount(Pageset p, int high, boolean freeHigh);

  /**
   * Returns whether a drained block goes to its pageblock's type (6.10+ freelist hygiene) rather
   * than the type it was freed with.
   */
  abstract boolean drainToPageblockType();

  /**
   * Returns whether get_page_from_freelist() marks a zone below its high watermark
   * (ZONE_BELOW_HIGH, 6.7+), so that frees shrink high.
   */
  abstract boolean detectsZoneBelowHigh();

  /** Models {@code zone_batchsize()}. */
  static int zoneBatchsize(long managedPages) {
    long batch = Math.min(managedPages >> 10, (1L << 20) / 4096);
    batch /= 4;
    if (batch < 1) {
      batch = 1;
    }
    long v = batch + batch / 2;
    return (int) (Long.highestOneBit(v) - 1);
  }

  /** Models {@code zone_highsize()}: {@code pages} split over the CPUs, at least 4 batches. */
  static int zoneHighsize(long pages, int cpus, int batch) {
    long high = pages / Math.max(1, cpus);
    return (int) Math.max(high, (long) batch << 2);
  }
}
