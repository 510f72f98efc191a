package io.cvmsim.bench;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.PfnMap;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
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
 * Latency while a guest grows: each operation adds 1000 entries (what one {@code count=1000}
 * allocation request adds), from empty up to {@code entries}, then starts again from empty; the
 * sample mode's percentiles show how long single operations take, and p100 the worst one, which is
 * where a table that rehashes all at once stops the world. {@code mapPut1000}: the per-page map
 * alone, {@code LongIntMap} (one table, rehashed at once) against {@code PfnMap} (a segment at a
 * time). {@code guestAllocate1000}: {@code GuestVm.allocate(GFP_HIGHUSER_MOVABLE, 0, 1000)} on a
 * lazy 1 TiB guest, the core of {@code POST /allocations} under the VM's lock. The map or guest
 * keeps growing across iterations; one operation in {@code entries / 1000} replaces the full one
 * with an empty one.
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Djmh.args="GrowthBenchmark -f 1"}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 20)
@Measurement(iterations = 3, time = 20)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx8g", "-XX:+UseG1GC"})
public class GrowthBenchmark {

  private static final int CHUNK = 1000;

  /** A map growing by 1000 sequential pfns per operation. */
  @State(Scope.Thread)
  public static class MapState {
    @Param({"LongIntMap", "PfnMap"})
    public String map;

    @Param({"50000000"})
    public int entries;

    LongIntMap table;
    PfnMap segments;
    long next;

    @Setup(Level.Trial)
    public void empty() {
      table = map.equals("LongIntMap") ? new LongIntMap(1024) : null;
      segments = map.equals("PfnMap") ? new PfnMap() : null;
      next = 0;
    }
  }

  /** A guest growing by 1000 order-0 pages per operation. */
  @State(Scope.Thread)
  public static class GuestState {
    @Param({"50000000"})
    public int pages;

    GuestVm vm;
    long live;

    @Setup(Level.Trial)
    public void empty() {
      vm =
          GuestVm.create(
              "growth",
              new VmSpec(
                  null,
                  Platform.TDX,
                  "6.5",
                  AcceptPolicy.LAZY,
                  Sizes.TIB,
                  null,
                  null,
                  4,
                  BootStage.KERNEL,
                  null,
                  false),
              VmSettings.DEFAULTS);
      live = 0;
    }
  }

  /** Puts 1000 new pfns into the map. */
  @Benchmark
  public long mapPut1000(MapState s) {
    if (s.next >= s.entries) {
      s.empty();
    }
    long end = s.next + CHUNK;
    if (s.table != null) {
      for (long k = s.next; k < end; k++) {
        s.table.put(k, (int) k & 0xFFFF);
      }
    } else {
      for (long k = s.next; k < end; k++) {
        s.segments.put(k, (int) k & 0xFFFF);
      }
    }
    s.next = end;
    return end;
  }

  /** Allocates 1000 order-0 pages in the guest. */
  @Benchmark
  public Object guestAllocate1000(GuestState s) {
    if (s.live >= s.pages) {
      s.empty();
    }
    s.live += CHUNK;
    return s.vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, CHUNK);
  }
}
