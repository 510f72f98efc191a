package io.cvmsim.core.memory;

/** The page sizes a platform can accept at: 4 KiB, 2 MiB and 1 GiB (x86 page-table levels). */
public enum PageSize {
  SIZE_4K("4K", 1L << 12, 0),
  SIZE_2M("2M", 1L << 21, 1),
  SIZE_1G("1G", 1L << 30, 2);

  private final String label;
  private final long bytes;
  private final int level;

  PageSize(String label, long bytes, int level) {
    this.label = label;
    this.bytes = bytes;
    this.level = level;
  }

  /** Returns the label used in the API and in metrics: "4K", "2M" or "1G". */
  public String label() {
    return label;
  }

  /** Returns the size in bytes. */
  public long bytes() {
    return bytes;
  }

  /** Returns the TDX page level (0 = 4K, 1 = 2M, 2 = 1G), also the index into count arrays. */
  public int level() {
    return level;
  }

  /** Returns the page size with this label ("4K", "2M", "1G"; case-insensitive). */
  public static PageSize ofLabel(String label) {
    for (PageSize p : values()) {
      if (p.label.equalsIgnoreCase(label.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown page size '" + label + "' (use 4K, 2M or 1G)");
  }
}
