package io.cvmsim.bench;

import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import java.util.List;
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
            100_000);
    BootStage stage = BootStage.valueOf(bootTo);
    if (guest.equals("4PiB-map")) {
      EfiMemoryMap map =
          EfiMemoryMap.of(
              List.of(
                  new EfiMemoryDescriptor(EfiMemoryType.CONVENTIONAL, 0, 0xA0),
                  new EfiMemoryDescriptor(
                      EfiMemoryType.CONVENTIONAL, Sizes.MIB, (512 * Sizes.MIB - Sizes.MIB) / 4096),
                  new EfiMemoryDescriptor(
                      EfiMemoryType.UNACCEPTED, 512 * Sizes.MIB, Sizes.GIB / 4096),
                  new EfiMemoryDescriptor(
                      EfiMemoryType.UNACCEPTED, 4 * Sizes.PIB - Sizes.GIB, Sizes.GIB / 4096)));
      spec =
          new VmSpec(
              null,
              Platform.TDX,
              KernelModel.V6_5,
              AcceptPolicy.LAZY,
              null,
              map,
              null,
              4,
              stage,
              null,
              false);
    } else {
      spec =
          new VmSpec(
              null,
              Platform.TDX,
              KernelModel.V6_5,
              AcceptPolicy.LAZY,
              Sizes.parseBytes(guest),
              null,
              null,
              4,
              stage,
              null,
              false);
    }
  }

  @Benchmark
  public GuestVm create() {
    return GuestVm.create("bench", spec, settings);
  }
}
