package io.cvmsim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LongLongMap against java.util.HashMap under seeded random operations, growth included. */
class LongLongMapTest {

  @Test
  void randomPutsGetsAndRemoves_agreeWithHashMap_throughGrowthAndShrinking() {
    for (long seed = 1; seed <= 5; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      LongLongMap map = new LongLongMap(4);
      Map<Long, Long> ref = new HashMap<>();
      List<Long> keys = new ArrayList<>();
      for (int step = 0; step < 100_000; step++) {
        int op = rnd.nextInt(10);
        long key =
            !keys.isEmpty() && op >= 7
                ? keys.get(rnd.nextInt(keys.size()))
                : rnd.nextBoolean() ? rnd.nextLong(1L << 40) << 10 : rnd.nextLong(1 << 20);
        if (op < 6) {
          long value = rnd.nextLong(Long.MAX_VALUE);
          map.put(key, value);
          if (ref.put(key, value) == null) {
            keys.add(key);
          }
        } else if (op < 9) {
          Long expected = ref.remove(key);
          assertThat(map.remove(key, -1))
              .as("seed %d step %d remove %d", seed, step, key)
              .isEqualTo(expected == null ? -1 : expected);
        } else {
          Long expected = ref.get(key);
          assertThat(map.get(key, -1)).isEqualTo(expected == null ? -1 : expected);
          assertThat(map.containsKey(key)).isEqualTo(expected != null);
        }
        assertThat(map.size()).isEqualTo(ref.size());
      }
      Map<Long, Long> seen = new HashMap<>();
      map.forEach((k, v) -> assertThat(seen.put(k, v)).isNull());
      assertThat(seen).isEqualTo(ref);
    }
  }

  @Test
  void negativeKeys_areRefused() {
    assertThatThrownBy(() -> new LongLongMap(4).put(-1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
