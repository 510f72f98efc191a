package io.cvmsim.core.stats;

import java.util.Locale;

/**
 * Models the fragmentation indices of mm/vmstat.c ({@code fill_contig_page_info()}, {@code
 * __fragmentation_index()}, {@code unusable_free_index()}) in the kernel's integer arithmetic, from
 * a zone's free blocks per order. Parked unaccepted chunks never count: they are not on the free
 * lists.
 */
public final class Fragmentation {

  private Fragmentation() {}

  /**
   * Returns the fragmentation index for a request of {@code order} in thousandths: 0 when there is
   * no free memory, -1000 when a suitable block exists, otherwise towards 1000 the more the failure
   * is due to fragmentation rather than lack of memory.
   */
  public static int fragmentationIndex(long[] nrFree, int order) {
    long total = 0;
    long freePages = 0;
    long suitable = 0;
    for (int o = 0; o < nrFree.length; o++) {
      total += nrFree[o];
      freePages += nrFree[o] << o;
      if (o >= order) {
        suitable += nrFree[o] << (o - order);
      }
    }
    if (total == 0) {
      return 0;
    }
    if (suitable > 0) {
      return -1000;
    }
    long requested = 1L << order;
    return (int)
        (1000
            - Long.divideUnsigned(1000 + Long.divideUnsigned(freePages * 1000, requested), total));
  }

  /**
   * Returns the unusable free space index for {@code order} in thousandths: the share of free pages
   * that cannot serve such a request (1000 when nothing is free).
   */
  public static int unusableIndex(long[] nrFree, int order) {
    long freePages = 0;
    long suitable = 0;
    for (int o = 0; o < nrFree.length; o++) {
      freePages += nrFree[o] << o;
      if (o >= order) {
        suitable += nrFree[o] << (o - order);
      }
    }
    if (freePages == 0) {
      return 1000;
    }
    return (int) Long.divideUnsigned((freePages - (suitable << order)) * 1000, freePages);
  }

  /** Returns an index as the kernel prints it: "%d.%03d" of index / 1000 and index % 1000. */
  public static String format(int index, boolean padded) {
    int whole = index / 1000;
    int frac = index % 1000;
    return (padded ? String.format(Locale.ROOT, "%2d", whole) : Integer.toString(whole))
        + "."
        + String.format(Locale.ROOT, "%03d", frac);
  }
}
