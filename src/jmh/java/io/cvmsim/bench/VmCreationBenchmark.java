package io.cvmsim.bench;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
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
 * Creating a guest (the heap it holds is measured by {@code Reports footprint}), for 1 GiB, 64 GiB
 * and 1 TiB guests booted to the EFI stub and to the kernel, and for a 4 PiB address space with a
 * hole (the 256 MiB bitmap worst case; to the EFI stub, with the bitmap limit raised).
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Djmh.args="VmCreationBenchmark -f 1 -wi 3 -i
 * 5"}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VmCreationBenchmark {

  @Param({"1GiB", "64GiB", "1TiB", "4PiB-map"})
  public String guest;

  @Param({"EFI_STUB", "KERNEL"})
  public String bootTo;

  VmSpec spec;
  VmSettings settings;

  @Setup(Level.Trial)
  public void setUp() {
    settings =
        new VmSettings(
            VmSettings.DEFAULTS.acceptCosts(),
            VmSettings.DEFAULTS.bootCosts(),
            256 * Sizes.MIB,
            100_000,
            false,
            VmSettings.DEFAULTS.maxBatches(),
            VmSettings.DEFAULTS.maxBatchBytes());
    spec = Reports.spec(guest, BootStage.valueOf(bootTo));
  }

  @Benchmark
  public GuestVm create() {
    return GuestVm.create("bench", spec, settings);
  }
}
