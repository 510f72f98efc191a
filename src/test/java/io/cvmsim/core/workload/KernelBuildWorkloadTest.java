package io.cvmsim.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.TestGuests;
import io.cvmsim.core.jobs.JobCancelledException;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelBuildWorkloadTest {

  static GuestVm guest(AcceptPolicy p, long bytes) {
    return TestGuests.create(
        new VmSpec(
            null, Platform.TDX, "6.5", p, bytes, null, null, 4, BootStage.KERNEL, null, false),
        VmSettings.DEFAULTS);
  }

  static WorkloadResult run(GuestVm vm, Map<String, Object> params) {
    Ctx ctx = new Ctx();
    WorkloadResult r =
        WorkloadType.KERNEL_BUILD.create(new WorkloadParams(params), 42).run(vm, ctx);
    assertThat(ctx.progress).isEqualTo(1.0);
    return r;
  }

  @Test
  void sameSeed_sameResult() {
    WorkloadResult a =
        run(guest(AcceptPolicy.LAZY, 2 * Sizes.GIB), Map.of("events", 300_000L, "seed", 7L));
    WorkloadResult b =
        run(guest(AcceptPolicy.LAZY, 2 * Sizes.GIB), Map.of("events", 300_000L, "seed", 7L));
    assertThat(b.allocations()).isEqualTo(a.allocations());
    assertThat(b.extfragEvents()).isEqualTo(a.extfragEvents());
    assertThat(b.unacceptedBytesAfter()).isEqualTo(a.unacceptedBytesAfter());
    assertThat(a.seed()).isEqualTo(7);
  }

  @Test
  void aLongBuild_drainsUnacceptedMemory_andKeepsTheGuestConsistent() {
    GuestVm vm = guest(AcceptPolicy.LAZY, 2 * Sizes.GIB);
    WorkloadResult r = run(vm, Map.of("events", 2_000_000L, "parallelism", 16L));
    assertThat(r.unacceptedBytesBefore()).isPositive();
    assertThat(r.unacceptedBytesAfter()).isLessThan(r.unacceptedBytesBefore());
    assertThat(r.acceptedChunks()).isPositive();
    // the run stops at the first step that reaches the count; a step may free a whole job
    assertThat(r.events()).isBetween(2_000_000L, 2_100_000L);
    vm.checkInvariants();
  }

  @Test
  void badParameters_areRefusedBeforeRunning() {
    assertThatThrownBy(
            () ->
                WorkloadType.KERNEL_BUILD.create(new WorkloadParams(Map.of("parallelism", 0L)), 1))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("parallelism");
    assertThatThrownBy(
            () -> WorkloadType.KERNEL_BUILD.create(new WorkloadParams(Map.of("bogus", 1L)), 1))
        .hasMessageContaining("unknown parameter 'bogus'");
    assertThatThrownBy(() -> WorkloadType.ofLabel("nope"))
        .hasMessageContaining("unknown workload type");
  }

  @Test
  void cancellation_stopsTheRun() {
    GuestVm vm = guest(AcceptPolicy.LAZY, 2 * Sizes.GIB);
    Ctx ctx = new Ctx();
    ctx.cancel = true;
    assertThatThrownBy(
            () -> WorkloadType.KERNEL_BUILD.create(new WorkloadParams(Map.of()), 1).run(vm, ctx))
        .isInstanceOf(JobCancelledException.class);
  }

  @Test
  void memoryHogAndFragmenter_run() {
    GuestVm vm = guest(AcceptPolicy.LAZY, 2 * Sizes.GIB);
    WorkloadResult hog =
        WorkloadType.MEMORY_HOG
            .create(new WorkloadParams(Map.of("fill", 1.0)), 1)
            .run(vm, new Ctx());
    assertThat(hog.unacceptedBytesAfter()).isZero();
    assertThat(hog.frees()).isEqualTo(hog.allocations());
    WorkloadResult frag =
        WorkloadType.FRAGMENTER
            .create(new WorkloadParams(Map.of("fill", 0.5, "thenBytes", "64MiB")), 1)
            .run(vm, new Ctx());
    assertThat(frag.frees()).isEqualTo((frag.allocations() - (64 * Sizes.MIB / 4096)) / 2);
    vm.checkInvariants();
  }
}
