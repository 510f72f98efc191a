package io.cvmsim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PfnMap against java.util.HashMap under seeded random operations, splits included. */
class PfnMapTest {

  /** Keys as the allocator makes them: aligned blocks, runs of pages, anywhere below 2^40. */
  private static long key(SplittableRandom rnd, List<Long> keys, int op) {
    if (!keys.isEmpty() && op >= 7) {
      return keys.get(rnd.nextInt(keys.size()));
    }
    return switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextLong(1L << 30) << 10; // order-10 heads
      case 1 -> rnd.nextLong(1 << 22); // dense low pfns
      case 2 -> PfnMap.MAX_KEY - rnd.nextLong(1 << 16); // the top of the address space
      default -> rnd.nextLong(PfnMap.MAX_KEY + 1);
    };
  }

  @Test
  void randomPutsGetsAndRemoves_agreeWithHashMap_whileSegmentsSplitAndTheDirectoryDoubles() {
    for (long seed = 1; seed <= 4; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      PfnMap map = new PfnMap();
      Map<Long, Integer> ref = new HashMap<>();
      List<Long> keys = new ArrayList<>();
      // grow past many splits, then shrink by removals while the segments are still splitting
      for (int step = 0; step < 400_000; step++) {
        int op = rnd.nextInt(10);
        boolean growing = step < 300_000;
        long key = key(rnd, keys, op);
        if (op < (growing ? 6 : 2)) {
          int value = rnd.nextInt(PfnMap.MAX_VALUE + 1);
          map.put(key, value);
          if (ref.put(key, value) == null) {
            keys.add(key);
          }
        } else if (op < 9) {
          Integer expected = ref.remove(key);
          assertThat(map.remove(key, -1))
              .as("seed %d step %d remove %d", seed, step, key)
              .isEqualTo(expected == null ? -1 : expected);
        } else {
          Integer expected = ref.get(key);
          assertThat(map.get(key, -1))
              .as("seed %d step %d get %d", seed, step, key)
              .isEqualTo(expected == null ? -1 : expected);
          assertThat(map.containsKey(key)).isEqualTo(expected != null);
        }
        assertThat(map.size()).isEqualTo(ref.size());
        if (step % 10_000 == 0) {
          map.checkInvariants();
        }
      }
      map.checkInvariants();
      Map<Long, Integer> seen = new HashMap<>();
      map.forEach((k, v) -> assertThat(seen.put(k, v)).as("%d twice", k).isNull());
      assertThat(seen).isEqualTo(ref);
    }
  }

  @Test
  void consecutiveAndWidelySpacedPfns_stayFindableThroughSplits() {
    PfnMap map = new PfnMap();
    // consecutive pfns and pfns 2^20 apart: the patterns a multiplicative hash must spread
    for (long i = 0; i < 100_000; i++) {
      map.put(i, (int) (i & PfnMap.MAX_VALUE));
      map.put((i + 1) << 20, 1);
    }
    for (long i = 0; i < 100_000; i++) {
      assertThat(map.get(i, -1)).isEqualTo((int) (i & PfnMap.MAX_VALUE));
    }
    for (long i = 0; i < 100_000; i++) {
      assertThat(map.remove(i, -1)).isEqualTo((int) (i & PfnMap.MAX_VALUE));
    }
    map.checkInvariants();
    assertThat(map.get(5, -1)).isEqualTo(-1);
    assertThat(map.get(5L << 20, -1)).isEqualTo(1);
    assertThat(map.size()).isEqualTo(100_000);
  }

  @Test
  void aMillionEntries_areAllFound_inSixteenToFortyBytesEach() {
    PfnMap map = new PfnMap();
    SplittableRandom rnd = new SplittableRandom(7);
    long[] keys = new long[1_000_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = rnd.nextLong(PfnMap.MAX_KEY + 1);
      map.put(keys[i], i & PfnMap.MAX_VALUE);
    }
    for (int i = 0; i < keys.length; i++) {
      assertThat(map.get(keys[i], -1)).isEqualTo(i & PfnMap.MAX_VALUE);
    }
    // half to a quarter full, 8 bytes a slot, plus the unused part of the newest slab
    assertThat(map.heapBytes()).isBetween(16L * keys.length, 40L * keys.length);
    for (long k : keys) {
      map.remove(k, -1);
    }
    assertThat(map.size()).isZero();
  }

  @Test
  void keysAndValuesOutOfRange_areRefused() {
    PfnMap map = new PfnMap();
    assertThatThrownBy(() -> map.put(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> map.put(PfnMap.MAX_KEY + 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> map.put(0, PfnMap.MAX_VALUE + 1))
        .isInstanceOf(IllegalArgumentException.class);
    map.put(PfnMap.MAX_KEY, PfnMap.MAX_VALUE);
    map.put(0, 0);
    assertThat(map.get(PfnMap.MAX_KEY, -1)).isEqualTo(PfnMap.MAX_VALUE);
    assertThat(map.get(0, -1)).isZero();
    assertThat(map.size()).isEqualTo(2);
  }
}
