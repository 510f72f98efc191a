package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The batches a guest remembers: runs, slots and both limits. */
class BatchesTest {

  private static long[] blocksOf(long[] runs, int order) {
    int n = 0;
    for (long r : runs) {
      n += Batches.blocks(r);
    }
    long[] out = new long[n];
    int i = 0;
    for (long r : runs) {
      for (int b = 0; b < Batches.blocks(r); b++) {
        out[i++] = Batches.first(r) + ((long) b << order);
      }
    }
    return out;
  }

  @Test
  void runsOf_joinsBlocksTwoToTheOrderApart_andGivesBackEveryPfnInOrder() {
    long[] pfns = {10, 11, 12, 20, 22, 24, (1L << 40) - 2, (1L << 40) - 1, 5};
    long[] order0 = Batches.runsOf(pfns, pfns.length, 0);
    assertThat(order0).hasSize(6);
    assertThat(blocksOf(order0, 0)).containsExactly(pfns);
    long[] even = {20, 22, 24, 26};
    long[] order1 = Batches.runsOf(even, even.length, 1);
    assertThat(order1).hasSize(1);
    assertThat(Batches.blocks(order1[0])).isEqualTo(4);
    assertThat(blocksOf(order1, 1)).containsExactly(even);
    assertThat(Batches.runsOf(pfns, 0, 0)).isEmpty();
  }

  @Test
  void theBatchAfterCapacityMore_takesTheSlot_andForgetsTheOldest() {
    Batches b = new Batches(3, 1 << 20);
    long[] ids = new long[4];
    for (int i = 0; i < 4; i++) {
      ids[i] = b.open();
      b.close(ids[i], 0, new long[] {100 * i}, 1);
      b.checkInvariants();
    }
    assertThat(ids).containsExactly(1, 2, 3, 4);
    assertThat(b.find(1)).isEqualTo(-1);
    assertThat(b.find(4)).isEqualTo(b.slot(1));
    assertThat(b.find(2)).isEqualTo(2);
    assertThat(b.find(5)).isEqualTo(-1);
    assertThat(b.find(0)).isEqualTo(-1);
    assertThat(b.remembered()).isEqualTo(3);
  }

  @Test
  void overTheByteLimit_theOldestAreForgotten_butNeverTheNewest() {
    Batches b = new Batches(100, 16);
    long one = b.open();
    b.close(one, 0, new long[] {1, 2, 3}, 3); // one run
    long two = b.open();
    b.close(two, 0, new long[] {10, 11}, 2); // one run: 16 bytes in all
    assertThat(b.find(one)).isPositive();
    long three = b.open();
    b.close(three, 0, new long[] {20, 30, 40}, 3); // three runs, alone over the limit
    b.checkInvariants();
    assertThat(b.find(one)).isEqualTo(-1);
    assertThat(b.find(two)).isEqualTo(-1);
    assertThat(b.find(three)).isPositive();
    assertThat(b.runBytes()).isEqualTo(24);
    b.forget(b.find(three));
    assertThat(b.runBytes()).isZero();
    assertThat(b.remembered()).isZero();
    b.checkInvariants();
  }
}
