package io.cvmsim.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The debugfs indices by hand (mm/vmstat.c). */
class FragmentationTest {

  @Test
  void fragmentationIndex() {
    long[] nrFree = new long[11];
    assertThat(Fragmentation.fragmentationIndex(nrFree, 3)).isZero(); // nothing free
    nrFree[0] = 100; // 100 single pages
    nrFree[2] = 10; // 10 blocks of 4 pages
    // order 3 would fail: total blocks 110, free pages 140, 1000 - (1000 + 140*1000/8) / 110
    assertThat(Fragmentation.fragmentationIndex(nrFree, 3)).isEqualTo(1000 - (1000 + 17500) / 110);
    assertThat(Fragmentation.fragmentationIndex(nrFree, 2)).isEqualTo(-1000);
    assertThat(Fragmentation.format(-1000, true)).isEqualTo("-1.000");
    assertThat(Fragmentation.format(832, true)).isEqualTo(" 0.832");
  }

  @Test
  void unusableIndex() {
    long[] nrFree = new long[11];
    assertThat(Fragmentation.unusableIndex(nrFree, 0)).isEqualTo(1000);
    nrFree[0] = 100;
    nrFree[2] = 10;
    // order 2: (140 - 10*4) * 1000 / 140 = 714
    assertThat(Fragmentation.unusableIndex(nrFree, 2)).isEqualTo(714);
    assertThat(Fragmentation.unusableIndex(nrFree, 0)).isZero();
    assertThat(Fragmentation.unusableIndex(nrFree, 5)).isEqualTo(1000);
    assertThat(Fragmentation.format(714, false)).isEqualTo("0.714");
  }
}
