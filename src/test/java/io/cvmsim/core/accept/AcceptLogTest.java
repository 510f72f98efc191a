package io.cvmsim.core.accept;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import org.junit.jupiter.api.Test;

class AcceptLogTest {

  @Test
  void keepsTheNewestEntries_numberedFromOne_andPagesBySequence() {
    AcceptLog log = new AcceptLog(3);
    for (int i = 0; i < 5; i++) {
      log.accepted(
          AcceptPhase.KERNEL,
          AcceptTrigger.ALLOCATOR,
          i * 4096L,
          (i + 1) * 4096L,
          new AcceptOperations(1, 0, 0, 0, 0, 1, 2500));
    }
    assertThat(log.totalCalls()).isEqualTo(5);
    assertThat(log.dropped()).isEqualTo(2);
    assertThat(log.after(0, 10)).extracting(AcceptLog.Entry::seq).containsExactly(3L, 4L, 5L);
    assertThat(log.after(3, 10)).extracting(AcceptLog.Entry::seq).containsExactly(4L, 5L);
    assertThat(log.after(4, 1)).extracting(AcceptLog.Entry::seq).containsExactly(5L);
    assertThat(log.after(5, 10)).isEmpty();
    assertThat(log.after(Long.MAX_VALUE, 10)).isEmpty();
    assertThat(log.after(-5, 10)).hasSize(3);
    AcceptLog.Entry e = log.after(4, 1).get(0);
    assertThat(e.phase()).isEqualTo(AcceptPhase.KERNEL);
    assertThat(e.trigger()).isEqualTo(AcceptTrigger.ALLOCATOR);
    assertThat(e.start()).isEqualTo(4 * 4096L);
    assertThat(e.simulatedNanos()).isEqualTo(2500);
  }
}
