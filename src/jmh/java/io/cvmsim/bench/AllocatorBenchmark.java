package io.cvmsim.bench;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestMemory;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The page allocator in the core, without HTTP: an order-0 alloc+free pair (median in ns/op from
 * the sample mode) and a mixed-order workload (operations per second). The heap each live
 * allocation costs is measured by {@code Reports footprint}.
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Djmh.args="AllocatorBenchmark -f 1 -wi 3 -i
 * 5"}
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
@State(Scope.Thread)
public class AllocatorBenchmark {

  @Param({"6.5", "mainline"})
  public String kernel;

  @Param({"LAZY"})
  public String policy;

  GuestVm vm;
  GuestMemory allocator;
  long[] live;
  int liveCount;
  SplittableRandom rnd;

  @Setup(Level.Trial)
  public void setUp() {
    vm =
        GuestVm.create(
            "bench",
            new VmSpec(
                null,
                Platform.TDX,
                kernel,
                AcceptPolicy.valueOf(policy),
                16 * Sizes.GIB,
                null,
                null,
                4,
                BootStage.KERNEL,
                null,
                false),
            VmSettings.DEFAULTS);
    // single-threaded: the guest's memory is used outside the lock on purpose
    allocator = vm.withMemory(m -> m);
    live = new long[1 << 20];
    rnd = new SplittableRandom(42);
    // a steady population of live allocations, as a running guest has
    for (int i = 0; i < 200_000; i++) {
      live[liveCount++] = allocator.alloc(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
    }
  }

  /** One order-0 allocation and its free (movable, the most common kind). */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public long allocFreeOrder0() {
    long pfn = allocator.alloc(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
    allocator.free(0, pfn);
    return pfn;
  }

  /**
   * One operation of a mixed workload: allocate (orders 0–3, four masks) or free a random live
   * block, keeping the live population around its start.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long mixedOperation() {
    int r = rnd.nextInt(16);
    if ((r < 8 && liveCount < live.length) || liveCount == 0) {
      Gfp gfp =
          r < 4
              ? Gfp.GFP_HIGHUSER_MOVABLE
              : r < 6 ? Gfp.GFP_KERNEL : r < 7 ? Gfp.GFP_KERNEL_RECLAIMABLE : Gfp.GFP_ATOMIC;
      long pfn = allocator.alloc(0, gfp, r & 3);
      if (pfn >= 0) {
        live[liveCount++] = pfn;
      }
      return pfn;
    }
    int i = rnd.nextInt(liveCount);
    long pfn = live[i];
    live[i] = live[--liveCount];
    allocator.free(0, pfn);
    return pfn;
  }
}
