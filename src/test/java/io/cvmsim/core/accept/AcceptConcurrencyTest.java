package io.cvmsim.core.accept;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Many threads accept overlapping ranges at once: the accepting_list must make every unit be
 * accepted exactly once, while the lock is dropped around each platform call.
 */
class AcceptConcurrencyTest {

  @Test
  void overlappingAcceptsFromManyThreads_acceptEveryUnitExactlyOnce() throws Exception {
    long u = Sizes.UNIT_SIZE;
    long base = 1L << 32;
    int units = 4096;
    UnacceptedTable table = new UnacceptedTable(u, base, units / 8);
    table.bitmap().set(0, units);
    AtomicIntegerArray counts = new AtomicIntegerArray(units);
    TdxPlatform tdx = new TdxPlatform(AcceptCosts.DEFAULTS);
    // a slow platform widens the window in which callers overlap
    AcceptPlatform slow =
        new AcceptPlatform() {
          @Override
          public String name() {
            return "TDX";
          }

          @Override
          public AcceptOperations accept(long start, long end, AcceptPhase phase) {
            for (long p = start; p < end; p += u) {
              counts.incrementAndGet((int) ((p - base) / u));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            return tdx.accept(start, end, phase);
          }
        };
    HostMemory host = new HostMemory();
    UnacceptedMemory m = new UnacceptedMemory(table, slow, host);
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      long seed = t;
      Thread th =
          new Thread(
              () -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                try {
                  start.await();
                  for (int i = 0; i < 2000; i++) {
                    long s = base + u * rnd.nextInt(units) + 4096L * rnd.nextInt(512);
                    long e = s + 4096L * (1 + rnd.nextInt(4096));
                    if (rnd.nextBoolean()) {
                      m.acceptMemory(s, e, AcceptTrigger.ALLOCATOR);
                    } else {
                      m.rangeContainsUnacceptedMemory(s, e);
                    }
                  }
                } catch (Throwable x) {
                  errors.add(x);
                }
              });
      ts.add(th);
      th.start();
    }
    start.countDown();
    for (Thread t : ts) {
      t.join();
    }
    assertThat(errors).isEmpty();
    m.acceptMemory(base, base + units * u, AcceptTrigger.EXPLICIT);
    for (int i = 0; i < units; i++) {
      assertThat(counts.get(i)).as("unit %d", i).isEqualTo(1);
    }
    assertThat(m.unacceptedBytes()).isZero();
    assertThat(host.backedBytes()).isEqualTo(units * u);
  }
}
