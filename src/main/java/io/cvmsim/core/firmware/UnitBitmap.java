package io.cvmsim.core.firmware;

import java.util.Arrays;

/**
 * The unaccepted bitmap, one bit per unit, stored sparsely: the bit space is cut into chunks of
 * 32768 bits (4 KiB of kernel bitmap, 64 GiB of guest memory at 2 MiB units); an all-zero chunk
 * costs nothing and an all-ones chunk shares one read-only array. So a 4 PiB address space whose
 * kernel bitmap is 256 MiB costs a 256 KiB chunk index plus what is actually mixed, and a 1 TiB
 * guest that is entirely unaccepted costs a few hundred bytes.
 *
 * <p>Bit order is Linux's: bit {@code i} is bit {@code i % 64} of word {@code i / 64}. Not thread
 * safe; {@code UnacceptedMemory} guards it.
 */
public final class UnitBitmap {

  static final int CHUNK_SHIFT = 15;
  static final int CHUNK_BITS = 1 << CHUNK_SHIFT;
  static final int CHUNK_WORDS = CHUNK_BITS / 64;

  /** Shared all-ones chunk; never written (copy on write). */
  private static final long[] FULL = new long[CHUNK_WORDS];

  static {
    Arrays.fill(FULL, -1L);
  }

  private final long size;
  private final long[][] chunks;
  private final int[] counts;
  private long cardinality;

  /** Creates an all-zero bitmap of {@code size} bits. */
  public UnitBitmap(long size) {
    if (size < 0 || size > (1L << 31)) {
      throw new IllegalArgumentException("bitmap size out of range: " + size);
    }
    this.size = size;
    int n = (int) ((size + CHUNK_BITS - 1) >>> CHUNK_SHIFT);
    this.chunks = new long[n][];
    this.counts = new int[n];
  }

  /** Returns a deep copy. */
  public UnitBitmap copy() {
    UnitBitmap c = new UnitBitmap(size);
    for (int i = 0; i < chunks.length; i++) {
      long[] ch = chunks[i];
      c.chunks[i] = ch == null || ch == FULL ? ch : ch.clone();
    }
    System.arraycopy(counts, 0, c.counts, 0, counts.length);
    c.cardinality = cardinality;
    return c;
  }

  /** Returns the number of bits. */
  public long size() {
    return size;
  }

  /** Returns the number of set bits. */
  public long cardinality() {
    return cardinality;
  }

  /** Returns bit {@code i}. */
  public boolean get(long i) {
    checkIndex(i);
    long[] ch = chunks[(int) (i >>> CHUNK_SHIFT)];
    if (ch == null) {
      return false;
    }
    return (ch[(int) ((i >>> 6) & (CHUNK_WORDS - 1))] & (1L << i)) != 0;
  }

  /** Sets bits {@code [from, to)}. */
  public void set(long from, long to) {
    update(from, to, true);
  }

  /** Clears bits {@code [from, to)}. */
  public void clear(long from, long to) {
    update(from, to, false);
  }

  private void update(long from, long to, boolean value) {
    checkRange(from, to);
    long i = from;
    while (i < to) {
      int c = (int) (i >>> CHUNK_SHIFT);
      long chunkStart = (long) c << CHUNK_SHIFT;
      long chunkEnd = Math.min(chunkStart + CHUNK_BITS, to);
      if (i == chunkStart && chunkEnd == chunkStart + CHUNK_BITS) {
        cardinality += (value ? CHUNK_BITS : 0) - counts[c];
        counts[c] = value ? CHUNK_BITS : 0;
        chunks[c] = value ? FULL : null;
      } else {
        updateWithin(c, (int) (i - chunkStart), (int) (chunkEnd - chunkStart), value);
      }
      i = chunkEnd;
    }
  }

  private void updateWithin(int c, int from, int to, boolean value) {
    long[] ch = chunks[c];
    if (value ? ch == FULL : ch == null) {
      return;
    }
    if (ch == null) {
      ch = new long[CHUNK_WORDS];
    } else if (ch == FULL) {
      ch = FULL.clone();
    }
    int delta = 0;
    int w = from >>> 6;
    int lastWord = (to - 1) >>> 6;
    for (; w <= lastWord; w++) {
      long mask = -1L;
      if (w == from >>> 6) {
        mask &= -1L << (from & 63);
      }
      if (w == lastWord) {
        mask &= -1L >>> (63 - ((to - 1) & 63));
      }
      long old = ch[w];
      long neu = value ? old | mask : old & ~mask;
      delta += Long.bitCount(neu) - Long.bitCount(old);
      ch[w] = neu;
    }
    counts[c] += delta;
    cardinality += delta;
    if (counts[c] == 0) {
      chunks[c] = null;
    } else if (counts[c] == CHUNK_BITS) {
      chunks[c] = FULL;
    } else {
      chunks[c] = ch;
    }
  }

  /** Returns the first set bit in {@code [from, to)}, or -1. */
  public long nextSetBit(long from, long to) {
    return next(from, to, true);
  }

  /** Returns the first clear bit in {@code [from, to)}, or {@code to} if all are set. */
  public long nextClearBit(long from, long to) {
    long found = next(from, to, false);
    return found >= 0 ? found : Math.max(from, Math.min(to, size));
  }

  /** Returns the first bit equal to {@code value} in {@code [from, to)}, or -1. */
  private long next(long from, long to, boolean value) {
    to = Math.min(to, size);
    long[] uniform = value ? FULL : null; // a chunk made only of the bits sought
    long[] absent = value ? null : FULL; // a chunk without any of them
    long flip = value ? 0 : -1L;
    long i = from;
    while (i < to) {
      int c = (int) (i >>> CHUNK_SHIFT);
      long chunkStart = (long) c << CHUNK_SHIFT;
      long chunkEnd = Math.min(chunkStart + CHUNK_BITS, to);
      long[] ch = chunks[c];
      if (ch == uniform) {
        return i;
      }
      if (ch != absent) {
        int bit = (int) (i - chunkStart);
        int w = bit >>> 6;
        long word = (ch[w] ^ flip) & (-1L << (bit & 63));
        int lastWord = (int) ((chunkEnd - 1 - chunkStart) >>> 6);
        while (true) {
          if (word != 0) {
            long found = chunkStart + ((long) w << 6) + Long.numberOfTrailingZeros(word);
            return found < chunkEnd ? found : -1;
          }
          if (++w > lastWord) {
            break;
          }
          word = ch[w] ^ flip;
        }
      }
      i = chunkEnd;
    }
    return -1;
  }

  /** Returns the number of set bits in {@code [from, to)}. */
  public long count(long from, long to) {
    long n = 0;
    long i = nextSetBit(from, to);
    while (i >= 0) {
      long e = nextClearBit(i, to);
      n += e - i;
      i = nextSetBit(e, to);
    }
    return n;
  }

  /** Returns an estimate of the heap this bitmap holds, in bytes. */
  public long heapBytes() {
    long bytes = 16L + 8L * chunks.length + 16L + 4L * counts.length + 64;
    for (long[] ch : chunks) {
      if (ch != null && ch != FULL) {
        bytes += 16L + 8L * CHUNK_WORDS;
      }
    }
    return bytes;
  }

  /** Returns the kernel's view: word {@code w} of the bitmap as Linux stores it. */
  public long word(long w) {
    long bit = w << 6;
    checkIndex(bit);
    long[] ch = chunks[(int) (bit >>> CHUNK_SHIFT)];
    if (ch == null) {
      return 0;
    }
    long v = ch[(int) (w & (CHUNK_WORDS - 1))];
    long valid = size - bit;
    return valid >= 64 ? v : v & ((1L << valid) - 1);
  }

  private void checkIndex(long i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("bit " + i + " outside [0, " + size + ")");
    }
  }

  private void checkRange(long from, long to) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException(
          "range [" + from + ", " + to + ") outside [0, " + size + ")");
    }
  }
}
