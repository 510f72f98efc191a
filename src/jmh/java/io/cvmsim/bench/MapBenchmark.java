package io.cvmsim.bench;

import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.PfnMap;
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
 * The per-page map's operations at a steady size: a put and a remove of a new pfn, and a get of a
 * present one, for {@code LongIntMap} (one table) and {@code PfnMap} (segments), with {@code
 * entries} pfns present (the allocator benchmark's 200 000, and 10 million).
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Djmh.args="MapBenchmark -f 1"}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
@State(Scope.Thread)
public class MapBenchmark {

  @Param({"LongIntMap", "PfnMap"})
  public String map;

  @Param({"200000", "10000000"})
  public int entries;

  LongIntMap table;
  PfnMap segments;
  long[] present;
  long[] absent;
  int next;

  @Setup(Level.Trial)
  public void fill() {
    SplittableRandom rnd = new SplittableRandom(42);
    table = map.equals("LongIntMap") ? new LongIntMap(1024) : null;
    segments = map.equals("PfnMap") ? new PfnMap() : null;
    present = new long[entries];
    for (int i = 0; i < entries; i++) {
      present[i] = rnd.nextLong(1L << 36);
      if (table != null) {
        table.put(present[i], i & 0xFFFF);
      } else {
        segments.put(present[i], i & 0xFFFF);
      }
    }
    absent = new long[1 << 16];
    for (int i = 0; i < absent.length; i++) {
      absent[i] = (1L << 36) + rnd.nextLong(1L << 36);
    }
  }

  /** Puts a pfn that is not in the map and removes it again. */
  @Benchmark
  public int putRemove() {
    long k = absent[next++ & (absent.length - 1)];
    if (table != null) {
      table.put(k, 1);
      return table.remove(k, -1);
    }
    segments.put(k, 1);
    return segments.remove(k, -1);
  }

  /** Gets a pfn that is in the map. */
  @Benchmark
  public int get() {
    long k = present[(int) Math.floorMod(next++ * 40503L, (long) entries)];
    return table != null ? table.get(k, -1) : segments.get(k, -1);
  }
}
