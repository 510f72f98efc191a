package io.cvmsim.core.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnitBitmapTest {

  @Test
  void randomRangeOperations_agreeWithBitSet() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int size = 1 + rnd.nextInt(200_000);
      UnitBitmap b = new UnitBitmap(size);
      BitSet ref = new BitSet(size);
      for (int step = 0; step < 300; step++) {
        int from = rnd.nextInt(size);
        int to = from + rnd.nextInt(Math.min(size - from, 70_000) + 1);
        if (rnd.nextBoolean()) {
          b.set(from, to);
          ref.set(from, to);
        } else {
          b.clear(from, to);
          ref.clear(from, to);
        }
        int q = rnd.nextInt(size);
        int qe = q + rnd.nextInt(size - q + 1);
        int expSet = ref.nextSetBit(q);
        assertThat(b.nextSetBit(q, qe))
            .as("seed %d", seed)
            .isEqualTo(expSet >= 0 && expSet < qe ? expSet : -1);
        int expClear = ref.nextClearBit(q);
        assertThat(b.nextClearBit(q, qe)).as("seed %d", seed).isEqualTo(Math.min(expClear, qe));
        assertThat(b.cardinality()).isEqualTo(ref.cardinality());
        assertThat(b.get(q)).isEqualTo(ref.get(q));
      }
      assertThat(b.count(0, size)).isEqualTo(ref.cardinality());
      UnitBitmap copy = b.copy();
      copy.clear(0, size);
      assertThat(b.cardinality()).isEqualTo(ref.cardinality());
    }
  }

  @Test
  void wordsAreLinuxBitOrder() {
    UnitBitmap b = new UnitBitmap(130);
    b.set(1, 4);
    b.set(64, 65);
    b.set(129, 130);
    assertThat(b.word(0)).isEqualTo(0b1110L);
    assertThat(b.word(1)).isEqualTo(1L);
    assertThat(b.word(2)).isEqualTo(2L);
  }

  @Test
  void fullAndEmptyChunks_costNothing() {
    UnitBitmap b = new UnitBitmap(1L << 31);
    long empty = b.heapBytes();
    b.set(0, 1L << 31);
    assertThat(b.heapBytes()).isEqualTo(empty);
    assertThat(b.cardinality()).isEqualTo(1L << 31);
    b.clear(5, 6);
    assertThat(b.heapBytes()).isEqualTo(empty + 16 + 4096);
    assertThat(b.nextClearBit(0, 1L << 31)).isEqualTo(5);
  }
}
