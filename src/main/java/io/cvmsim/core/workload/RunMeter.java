package io.cvmsim.core.workload;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;

/** Measures a guest before and after a workload and builds the result. */
final class RunMeter {

  private final GuestVm vm;
  private final long started = System.nanoTime();
  private final MemorySnapshot before;
  private final long acceptNanosBefore;

  RunMeter(GuestVm vm) {
    this.vm = vm;
    this.before = vm.memory();
    this.acceptNanosBefore = vm.host().simulatedAcceptNanos();
  }

  /** Returns MemTotal in pages at the start. */
  long totalPages() {
    return before.totalPages();
  }

  WorkloadResult finish(
      String type,
      long seed,
      long events,
      long allocations,
      long failures,
      long frees,
      Map<String, Object> details) {
    MemorySnapshot after = vm.memory();
    return new WorkloadResult(
        type,
        seed,
        events,
        allocations,
        failures,
        frees,
        after.extfragTotal() - before.extfragTotal(),
        after.extfragFragmenting() - before.extfragFragmenting(),
        after.extfragFragmentingMovable() - before.extfragFragmentingMovable(),
        before.unacceptedPages() << Sizes.PAGE_SHIFT,
        after.unacceptedPages() << Sizes.PAGE_SHIFT,
        after.acceptedChunks() - before.acceptedChunks(),
        vm.host().simulatedAcceptNanos() - acceptNanosBefore,
        (System.nanoTime() - started) / 1_000_000,
        details);
  }
}
