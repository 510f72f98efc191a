package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.TestGuests;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Hammers one guest from 8 threads with allocations, frees, accepts and reads, then checks its
 * invariants and that no page was handed out twice.
 */
class GuestVmConcurrencyTest {

  @Test
  void eightThreadsOnOneGuest_leaveItConsistent() throws Exception {
    for (String k : VmSpec.KERNELS) {
      GuestVm vm =
          TestGuests.create(
              new VmSpec(
                  null,
                  Platform.TDX,
                  k,
                  AcceptPolicy.LAZY,
                  2 * Sizes.GIB,
                  null,
                  null,
                  8,
                  BootStage.KERNEL,
                  null,
                  false));
      ConcurrentLinkedQueue<Long> live = new ConcurrentLinkedQueue<>();
      long bootAllocations = vm.memory().liveAllocations();
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long seed = t;
        Thread th =
            new Thread(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(seed);
                  try {
                    go.await();
                    for (int i = 0; i < 20_000; i++) {
                      int op = rnd.nextInt(20);
                      if (op < 10) {
                        var r =
                            vm.allocate(
                                rnd.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE,
                                rnd.nextInt(4),
                                1 + rnd.nextInt(8));
                        for (long pfn : r.pfns()) {
                          live.add(pfn);
                        }
                      } else if (op < 17) {
                        Long pfn = live.poll();
                        if (pfn != null) {
                          vm.free(new long[] {pfn});
                        }
                      } else if (op < 18) {
                        long s = Sizes.PAGE_SIZE * rnd.nextLong(1L << 20);
                        vm.accept(s, s + Sizes.MIB * (1 + rnd.nextInt(16)));
                      } else if (op < 19) {
                        vm.memory();
                      } else {
                        vm.latestSnapshot();
                        vm.summary();
                      }
                    }
                  } catch (SimulatorException e) {
                    errors.add(e);
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                });
        threads.add(th);
        th.start();
      }
      go.countDown();
      for (Thread th : threads) {
        th.join();
      }
      assertThat(errors).isEmpty();
      vm.checkInvariants();
      long liveAllocations = vm.memory().liveAllocations();
      assertThat(liveAllocations).isEqualTo(bootAllocations + live.size());
    }
  }
}
