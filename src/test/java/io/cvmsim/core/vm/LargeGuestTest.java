package io.cvmsim.core.vm;

import static io.cvmsim.core.memory.Sizes.GIB;
import static io.cvmsim.core.memory.Sizes.MIB;
import static io.cvmsim.core.memory.Sizes.PIB;
import static io.cvmsim.core.memory.Sizes.TIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.TestGuests;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory a guest never touches costs only its bitmap bits (sizes, not times: see BENCHMARKS.md).
 */
class LargeGuestTest {

  @Test
  void aLazyTerabyteGuest_holdsUnder16MiB() {
    for (BootStage stage : List.of(BootStage.EFI_STUB, BootStage.KERNEL)) {
      GuestVm vm =
          TestGuests.create(
              new VmSpec(
                  null,
                  Platform.TDX,
                  "6.5",
                  AcceptPolicy.LAZY,
                  TIB,
                  null,
                  null,
                  4,
                  stage,
                  null,
                  false),
              VmSettings.DEFAULTS);
      assertThat(vm.heapBytes()).as(stage.name()).isLessThan(16 * MIB);
      if (stage == BootStage.KERNEL) {
        var s = vm.memory();
        assertThat(s.unacceptedPages() * 4096).isGreaterThan(TIB - 32 * GIB);
        vm.checkInvariants();
      }
    }
  }

  /** A 4 PiB address space with a hole: 1 GiB unaccepted at the bottom, 1 GiB at the top. */
  static VmSpec fourPebibyteMap(BootStage stage) {
    EfiMemoryMap map =
        EfiMemoryMap.of(
            List.of(
                new EfiMemoryDescriptor(EfiMemoryType.CONVENTIONAL, 0, 0xA0),
                new EfiMemoryDescriptor(EfiMemoryType.CONVENTIONAL, MIB, (512 * MIB - MIB) / 4096),
                new EfiMemoryDescriptor(EfiMemoryType.UNACCEPTED, 512 * MIB, GIB / 4096),
                new EfiMemoryDescriptor(EfiMemoryType.UNACCEPTED, 4 * PIB - GIB, GIB / 4096)));
    return new VmSpec(
        null, Platform.TDX, "6.5", AcceptPolicy.LAZY, null, map, null, 4, stage, null, false);
  }

  @Test
  void theFourPebibyteMap_isRefusedUnderTheDefaultBitmapLimit() {
    assertThatThrownBy(
            () -> GuestVm.create("t", fourPebibyteMap(BootStage.EFI_STUB), VmSettings.DEFAULTS))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("max-bitmap-bytes")
        .extracting(e -> ((SimulatorException) e).kind())
        .isEqualTo(SimulatorException.Kind.TOO_LARGE);
  }

  @Test
  void theFourPebibyteMap_isCreatedWhenTheLimitAllows_andStaysSmall() {
    VmSettings big =
        new VmSettings(
            VmSettings.DEFAULTS.acceptCosts(),
            VmSettings.DEFAULTS.bootCosts(),
            256 * MIB,
            1000,
            false,
            VmSettings.DEFAULTS.maxBatches(),
            VmSettings.DEFAULTS.maxBatchBytes());
    GuestVm vm = TestGuests.create(fourPebibyteMap(BootStage.KERNEL), big);
    VmViews.Table t = vm.unacceptedTable();
    assertThat(t.sizeBytes()).isEqualTo(256 * MIB - (512 * MIB) / (2 * MIB * 8));
    assertThat(vm.heapBytes()).isLessThan(16 * MIB);
    vm.checkInvariants();
  }
}
