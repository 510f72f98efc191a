package io.cvmsim.bench;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.Sizes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * accept_memory() throughput: 4 MiB chunks (what the allocator accepts, so 3 units with the guard)
 * walking up a 1 TiB table, refilled when exhausted; and range_contains_unaccepted_memory().
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Djmh.args="AcceptBenchmark -f 1 -wi 3 -i 5"}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class AcceptBenchmark {

  static final long BASE = 1L << 32;
  static final long SIZE = 1L << 40;

  UnacceptedTable table;
  UnacceptedMemory memory;
  long cursor;
  long probe;

  @Setup(Level.Iteration)
  public void setUp() {
    table = new UnacceptedTable(Sizes.UNIT_SIZE, BASE, SIZE / Sizes.UNIT_SIZE / 8);
    table.bitmap().set(0, SIZE / Sizes.UNIT_SIZE);
    memory =
        new UnacceptedMemory(table, new TdxPlatform(AcceptCosts.DEFAULTS), (p, t, s, e, o) -> {});
    cursor = BASE;
  }

  @Benchmark
  public Object acceptChunk() {
    if (cursor + 4 * Sizes.MIB > BASE + SIZE) {
      table.bitmap().set(0, SIZE / Sizes.UNIT_SIZE);
      cursor = BASE;
    }
    Object r = memory.acceptMemory(cursor, cursor + 4 * Sizes.MIB, AcceptTrigger.ALLOCATOR);
    cursor += 4 * Sizes.MIB;
    return r;
  }

  @Benchmark
  public boolean containsUnaccepted() {
    probe = (probe + 0x9E3779B97F4A7C15L) & (SIZE - 1);
    long s = BASE + (probe & -Sizes.PAGE_SIZE);
    return memory.rangeContainsUnacceptedMemory(s, s + 4 * Sizes.MIB);
  }
}
