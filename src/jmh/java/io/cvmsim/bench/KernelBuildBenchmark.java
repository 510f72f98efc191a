package io.cvmsim.bench;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadResult;
import io.cvmsim.core.workload.WorkloadType;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A kernel-build run of 10 million allocation/free events on a freshly booted lazy 16 GiB guest (8
 * builds × 16 jobs, as in the v9 study), boot included.
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Djmh.args="KernelBuildBenchmark -f 1"}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
@State(Scope.Benchmark)
public class KernelBuildBenchmark {

  @Param({"6.5", "mainline"})
  public String kernel;

  @Benchmark
  public WorkloadResult tenMillionEvents() {
    GuestVm vm =
        GuestVm.create(
            "bench",
            new VmSpec(
                null,
                Platform.TDX,
                kernel,
                AcceptPolicy.LAZY,
                16 * Sizes.GIB,
                null,
                null,
                16,
                BootStage.KERNEL,
                null,
                false),
            VmSettings.DEFAULTS);
    return WorkloadType.KERNEL_BUILD
        .create(new WorkloadParams(Map.of("events", 10_000_000L, "parallelism", 128L)), 42)
        .run(
            vm,
            new JobContext() {
              @Override
              public void progress(double fraction) {}

              @Override
              public boolean cancelled() {
                return false;
              }
            });
  }
}
