package io.cvmsim.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The workloads' primitive heap and queue against the JDK's collections. */
class LongHeapAndQueueTest {

  @Test
  void longHeap_popsInKeyOrder_likeAPriorityQueue() {
    SplittableRandom rnd = new SplittableRandom(7);
    LongHeap heap = new LongHeap();
    PriorityQueue<long[]> ref = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    for (int step = 0; step < 100_000; step++) {
      if (rnd.nextInt(3) < 2 || ref.isEmpty()) {
        long key = rnd.nextLong(1_000_000);
        heap.push(key, key * 31 + 7);
        ref.add(new long[] {key, key * 31 + 7});
      } else {
        assertThat(heap.peekKey()).isEqualTo(ref.peek()[0]);
        long[] top = ref.poll();
        // equal keys may come out in any order, but every value belongs to its key
        assertThat(heap.pop()).isEqualTo(top[0] * 31 + 7);
      }
      assertThat(heap.size()).isEqualTo(ref.size());
      assertThat(heap.isEmpty()).isEqualTo(ref.isEmpty());
    }
  }

  @Test
  void longQueue_isFirstInFirstOut_throughGrowthAndWrapAround() {
    SplittableRandom rnd = new SplittableRandom(11);
    LongQueue queue = new LongQueue();
    ArrayDeque<Long> ref = new ArrayDeque<>();
    for (int step = 0; step < 100_000; step++) {
      if (rnd.nextInt(5) < 3 || ref.isEmpty()) {
        long v = rnd.nextLong();
        queue.add(v);
        ref.add(v);
      } else {
        assertThat(queue.poll()).isEqualTo(ref.poll());
      }
      assertThat(queue.size()).isEqualTo(ref.size());
      assertThat(queue.isEmpty()).isEqualTo(ref.isEmpty());
    }
  }
}
