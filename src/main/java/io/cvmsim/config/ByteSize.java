package io.cvmsim.config;

import io.cvmsim.core.memory.Sizes;

/**
 * A byte count in configuration: an integer, or a number with a binary suffix such as {@code 16MiB}
 * or {@code 4TiB} (Spring's {@code DataSize} knows no TiB).
 *
 * @param bytes the count
 */
public record ByteSize(long bytes) {

  /** Checks the count. */
  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size must not be negative, got " + bytes);
    }
  }

  /** Returns the size of {@code text} ("4TiB", "0x1000", "512"). */
  public static ByteSize parse(String text) {
    return new ByteSize(Sizes.parseBytes(text));
  }

  /** Returns the size as it is written in configuration, e.g. "16MiB". */
  @Override
  public String toString() {
    return Sizes.format(bytes);
  }
}
