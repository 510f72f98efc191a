package io.cvmsim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RangeSet against a BitSet of the same values. */
class RangeSetTest {

  @Test
  void addDisjoint_refusesOverlaps_mergesNeighbours_andAgreesWithABitSet() {
    for (long seed = 1; seed <= 5; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      RangeSet set = new RangeSet();
      BitSet ref = new BitSet();
      for (int step = 0; step < 5_000; step++) {
        int s = rnd.nextInt(20_000);
        int e = s + rnd.nextInt(64);
        boolean free = ref.get(s, e).isEmpty();
        assertThat(set.addDisjoint(s, e))
            .as("seed %d step %d [%d,%d)", seed, step, s, e)
            .isEqualTo(free);
        if (free) {
          ref.set(s, e);
        }
        int qs = rnd.nextInt(20_000);
        int qe = qs + rnd.nextInt(64);
        assertThat(set.covers(qs, qe)).isEqualTo(ref.get(qs, qe).cardinality() == qe - qs);
      }
      assertThat(set.totalLength()).isEqualTo(ref.cardinality());
      // ranges are sorted, disjoint, and not touching (touching ones merged)
      long prevEnd = -1;
      for (int i = 0; i < set.size(); i++) {
        long[] r = set.range(i);
        assertThat(r[0]).isGreaterThan(prevEnd);
        assertThat(ref.get((int) r[0], (int) r[1]).cardinality()).isEqualTo((int) (r[1] - r[0]));
        prevEnd = r[1];
      }
      assertThat(set.size()).isEqualTo(runs(ref));
    }
  }

  @Test
  void remove_trimsSplitsAndDrops_andAgreesWithABitSet() {
    for (long seed = 1; seed <= 5; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      RangeSet set = new RangeSet();
      BitSet ref = new BitSet();
      for (int step = 0; step < 5_000; step++) {
        int s = rnd.nextInt(20_000);
        int e = s + rnd.nextInt(256);
        if (rnd.nextInt(3) == 0) {
          set.remove(s, e);
          ref.clear(s, e);
        } else if (ref.get(s, e).isEmpty()) {
          assertThat(set.addDisjoint(s, e)).isTrue();
          ref.set(s, e);
        }
        assertThat(set.totalLength())
            .as("seed %d step %d", seed, step)
            .isEqualTo(ref.cardinality());
      }
      long prevEnd = -1;
      for (int i = 0; i < set.size(); i++) {
        long[] r = set.range(i);
        assertThat(r[0]).isGreaterThan(prevEnd).isLessThan(r[1]);
        assertThat(ref.get((int) r[0], (int) r[1]).cardinality()).isEqualTo((int) (r[1] - r[0]));
        prevEnd = r[1];
      }
      assertThat(set.size()).isEqualTo(runs(ref));
    }
  }

  @Test
  void ascendingAdds_extendTheLastRange() {
    RangeSet set = new RangeSet();
    for (long s = 0; s < 1_000_000; s += 4096) {
      assertThat(set.addDisjoint(s, s + 4096)).isTrue();
    }
    assertThat(set.size()).isEqualTo(1);
    assertThat(set.range(0)).containsExactly(0, 1_003_520);
  }

  private static int runs(BitSet b) {
    int n = 0;
    for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(b.nextClearBit(i))) {
      n++;
    }
    return n;
  }
}
