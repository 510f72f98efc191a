package io.cvmsim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LongIntMap against java.util.HashMap under seeded random operations, growth included. */
class LongIntMapTest {

  @Test
  void randomPutsGetsAndRemoves_agreeWithHashMap_throughGrowthAndShrinking() {
    for (long seed = 1; seed <= 5; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      LongIntMap map = new LongIntMap(4);
      Map<Long, Integer> ref = new HashMap<>();
      List<Long> keys = new ArrayList<>();
      for (int step = 0; step < 200_000; step++) {
        int op = rnd.nextInt(10);
        // keys that collide in the low bits (pfns of aligned blocks) and random ones
        long key =
            !keys.isEmpty() && op >= 7
                ? keys.get(rnd.nextInt(keys.size()))
                : rnd.nextBoolean() ? rnd.nextLong(1L << 40) << 10 : rnd.nextLong(1 << 20);
        if (op < 6) {
          int value = rnd.nextInt(Integer.MAX_VALUE);
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
          assertThat(map.get(key, -1)).isEqualTo(expected == null ? -1 : expected);
          assertThat(map.containsKey(key)).isEqualTo(expected != null);
        }
        assertThat(map.size()).isEqualTo(ref.size());
      }
      Map<Long, Integer> seen = new HashMap<>();
      map.forEach((k, v) -> assertThat(seen.put(k, v)).isNull());
      assertThat(seen).isEqualTo(ref);
    }
  }

  @Test
  void heapBytes_growWithTheTable() {
    LongIntMap map = new LongIntMap(16);
    long small = map.heapBytes();
    for (int i = 0; i < 100_000; i++) {
      map.put(i, i);
    }
    assertThat(map.heapBytes()).isGreaterThan(small).isLessThan(100_000L * 48);
  }
}
