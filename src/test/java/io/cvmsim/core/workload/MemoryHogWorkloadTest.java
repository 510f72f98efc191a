package io.cvmsim.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ReclaimEvent;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.GuestVm;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** memory-hog's backing: anonymous memory fails past memory, a file is reclaimed instead. */
class MemoryHogWorkloadTest {

  private static WorkloadResult run(GuestVm vm, Map<String, Object> params) {
    Ctx ctx = new Ctx();
    WorkloadResult r = WorkloadType.MEMORY_HOG.create(new WorkloadParams(params), 42).run(vm, ctx);
    assertThat(ctx.progress).isEqualTo(1.0);
    return r;
  }

  @Test
  void aFileLargerThanMemory_isWrittenThroughThePageCache_andReclaimed() {
    GuestVm vm = KernelBuildWorkloadTest.guest(AcceptPolicy.EAGER, 512 * Sizes.MIB);
    WorkloadResult r =
        run(vm, Map.of("backing", "file", "bytes", "1GiB", "release", 0.5, "seed", 3L));
    assertThat(r.failures()).isZero();
    assertThat(r.allocations()).isEqualTo(Sizes.GIB >>> Sizes.PAGE_SHIFT);
    assertThat(r.details().get("stoppedOnFailures")).isEqualTo(false);
    assertThat((Long) r.details().get("reclaimedPages")).isPositive();
    MemorySnapshot m = vm.memory();
    assertThat(m.reclaim().event(ReclaimEvent.PAGEOUTRUN)).isPositive();
    assertThat(m.reclaim().filePages()).isEqualTo(r.details().get("cachedPages"));
    vm.checkInvariants();
  }

  @Test
  void anonymousMemoryLargerThanMemory_fails() {
    GuestVm vm = KernelBuildWorkloadTest.guest(AcceptPolicy.EAGER, 512 * Sizes.MIB);
    WorkloadResult r =
        WorkloadType.MEMORY_HOG
            .create(new WorkloadParams(Map.of("bytes", "1GiB", "release", 0.0)), 42)
            .run(vm, new Ctx());
    assertThat(r.failures()).isPositive();
    assertThat(r.details().get("stoppedOnFailures")).isEqualTo(true);
    assertThat(vm.memory().reclaim().event(ReclaimEvent.OOM)).isPositive();
    vm.checkInvariants();
  }

  @Test
  void badBacking_isRefused() {
    assertThatThrownBy(
            () -> WorkloadType.MEMORY_HOG.create(new WorkloadParams(Map.of("backing", "swap")), 1))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("anon or file");
    assertThatThrownBy(
            () ->
                WorkloadType.MEMORY_HOG.create(
                    new WorkloadParams(Map.of("backing", "file", "order", 2L)), 1))
        .isInstanceOf(SimulatorException.class);
  }
}
