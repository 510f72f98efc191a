package io.cvmsim.core.memory;

import java.util.Locale;

/** Page, unit and block sizes of x86-64 Linux, and parsing and printing of byte sizes. */
public final class Sizes {
  /** log2 of the base page size. */
  public static final int PAGE_SHIFT = 12;

  /** The base page size: 4 KiB. */
  public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

  /** One bit of the unaccepted bitmap covers this many bytes (x86 EFI stub: PMD_SIZE, 2 MiB). */
  public static final long UNIT_SIZE = 2L << 20;

  /** The largest buddy order, inclusive (MAX_ORDER in 6.5, MAX_PAGE_ORDER in mainline). */
  public static final int MAX_ORDER = 10;

  /** Number of buddy orders (NR_PAGE_ORDERS). */
  public static final int NR_ORDERS = MAX_ORDER + 1;

  /** Pages in one MAX_ORDER block: the size of one parked unaccepted chunk (4 MiB). */
  public static final int MAX_ORDER_NR_PAGES = 1 << MAX_ORDER;

  /** pageblock_order on x86-64 with hugetlb configured. */
  public static final int PAGEBLOCK_ORDER = 9;

  /** Pages per pageblock. */
  public static final int PAGEBLOCK_NR_PAGES = 1 << PAGEBLOCK_ORDER;

  /** x86-64 physical addresses have at most 52 bits. */
  public static final long MAX_PHYS_ADDR = 1L << 52;

  public static final long KIB = 1L << 10;
  public static final long MIB = 1L << 20;
  public static final long GIB = 1L << 30;
  public static final long TIB = 1L << 40;
  public static final long PIB = 1L << 50;

  private Sizes() {}

  /** Returns the pfn of a physical address. */
  public static long pfn(long phys) {
    return phys >>> PAGE_SHIFT;
  }

  /** Returns the physical address of a pfn. */
  public static long phys(long pfn) {
    return pfn << PAGE_SHIFT;
  }

  /** Returns {@code x} rounded down to a multiple of the power of two {@code align}. */
  public static long alignDown(long x, long align) {
    return x & -align;
  }

  /** Returns {@code x} rounded up to a multiple of the power of two {@code align}. */
  public static long alignUp(long x, long align) {
    return (x + align - 1) & -align;
  }

  /** Returns whether {@code x} is a multiple of the power of two {@code align}. */
  public static boolean isAligned(long x, long align) {
    return (x & (align - 1)) == 0;
  }

  /**
   * Parses a byte count: a decimal integer, a hex integer ({@code 0x...}), or a number with a
   * binary suffix (B, KiB, MiB, GiB, TiB, PiB; K, M, G, T, P and KB.. are read as binary too).
   *
   * @throws IllegalArgumentException with a readable message if the text is not a size or overflows
   *     63 bits
   */
  public static long parseBytes(String text) {
    if (text == null) {
      throw new IllegalArgumentException("size is missing");
    }
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("size is empty");
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      return parseHex(s);
    }
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 4GiB)");
    }
    long value;
    try {
      value = Long.parseLong(s.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    String unit = lower.substring(i).trim();
    int shift =
        switch (unit) {
          case "", "b" -> 0;
          case "k", "kb", "kib" -> 10;
          case "m", "mb", "mib" -> 20;
          case "g", "gb", "gib" -> 30;
          case "t", "tb", "tib" -> 40;
          case "p", "pb", "pib" -> 50;
          default ->
              throw new IllegalArgumentException(
                  "'" + text + "' has an unknown unit (use B, KiB, MiB, GiB, TiB or PiB)");
        };
    if (shift > 0 && value > (Long.MAX_VALUE >>> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return value << shift;
  }

  /**
   * Parses an address or count: decimal or {@code 0x} hex.
   *
   * @throws IllegalArgumentException if not a non-negative 63-bit integer
   */
  public static long parseAddress(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("address is missing");
    }
    String s = text.trim();
    if (s.toLowerCase(Locale.ROOT).startsWith("0x")) {
      return parseHex(s);
    }
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new IllegalArgumentException("'" + text + "' is negative");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a decimal or 0x-hex integer");
    }
  }

  private static long parseHex(String s) {
    String digits = s.substring(2).replace("_", "");
    if (digits.isEmpty() || digits.length() > 16) {
      throw new IllegalArgumentException("'" + s + "' is not a 64-bit hex integer");
    }
    try {
      long v = Long.parseUnsignedLong(digits, 16);
      if (v < 0) {
        throw new IllegalArgumentException("'" + s + "' is too large");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a hex integer");
    }
  }

  /** Returns a byte count in the largest binary unit that divides it exactly, e.g. "64GiB". */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    long v = bytes;
    while (u < units.length - 1 && v != 0 && (v & 1023) == 0) {
      v >>>= 10;
      u++;
    }
    return v + units[u];
  }
}
