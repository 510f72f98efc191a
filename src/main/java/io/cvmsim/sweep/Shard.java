package io.cvmsim.sweep;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of {@code count} shards of a sweep: configuration {@code k} belongs to shard {@code k mod
 * count}. Round robin, so that every shard gets a similar mix of sizes and workloads (the axes vary
 * slowest-first) and similar work.
 *
 * @param index the shard, from 0
 * @param count the number of shards
 */
public record Shard(int index, int count) {

  /** The most shards a sweep may be split into. */
  public static final int MAX_COUNT = 100_000;

  /** The whole sweep as one shard. */
  public static final Shard ALL = new Shard(0, 1);

  private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

  /** Checks the numbers. */
  public Shard {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "the number of shards must be between 1 and " + MAX_COUNT + ", got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "the shard index must be between 0 and " + (count - 1) + ", got " + index);
    }
  }

  /**
   * Returns the shard written as {@code I/N}, e.g. {@code 3/8}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Shard parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a shard is written I/N with 0 <= I < N (e.g. 0/4), got '" + text + "'");
    }
    return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** Returns whether configuration {@code k} belongs to this shard. */
  public boolean owns(long k) {
    return k % count == index;
  }

  /** Returns how many of {@code total} configurations this shard has. */
  public long size(long total) {
    return total <= index ? 0 : (total - index + count - 1) / count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
