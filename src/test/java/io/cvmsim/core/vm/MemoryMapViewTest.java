package io.cvmsim.core.vm;

import static io.cvmsim.core.memory.Sizes.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.TestGuests;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MapState;
import io.cvmsim.core.stats.MemoryMapSvg;
import io.cvmsim.core.stats.MemoryMapView;
import org.junit.jupiter.api.Test;

class MemoryMapViewTest {

  static GuestVm guest(BootStage stage) {
    return TestGuests.create(
        new VmSpec(
            "map",
            Platform.TDX,
            "6.5",
            AcceptPolicy.LAZY,
            8 * GIB,
            null,
            null,
            2,
            stage,
            null,
            false),
        VmSettings.DEFAULTS);
  }

  @Test
  void bucketsAddUp_andMatchTheGuestsCounters() {
    GuestVm vm = guest(BootStage.KERNEL);
    vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 10_000);
    MemoryMapView v = vm.memoryMapView(0, 12 * GIB, 512);
    for (MemoryMapView.Bucket b : v.buckets()) {
      long sum = 0;
      for (long x : b.bytes()) {
        sum += x;
      }
      assertThat(sum).isEqualTo(b.end() - b.start());
    }
    var mem = vm.memory();
    assertThat(v.totals()[MapState.UNACCEPTED.ordinal()])
        .isEqualTo(vm.unacceptedTable().unacceptedBytes());
    long buddy = 0;
    for (var z : mem.zones()) {
      buddy += z.buddyFreePages();
    }
    assertThat(v.totals()[MapState.FREE.ordinal()]).isEqualTo(buddy * Sizes.PAGE_SIZE);
    assertThat(v.totals()[MapState.MOVABLE.ordinal()])
        .isEqualTo(mem.movablePages() * Sizes.PAGE_SIZE);
    // the PCI hole [2 GiB, 4 GiB) is a hole
    int b = (int) (3 * GIB / v.bucketBytes());
    assertThat(v.buckets().get(b).dominant()).isEqualTo(MapState.HOLE);
    // RAM above 4 GiB ends at 10 GiB; its top is still unaccepted, beyond it is hole
    assertThat(v.buckets().get((int) (19 * GIB / 2 / v.bucketBytes())).dominant())
        .isEqualTo(MapState.UNACCEPTED);
    assertThat(v.buckets().get(v.buckets().size() - 1).dominant()).isEqualTo(MapState.HOLE);
    String svg = MemoryMapSvg.render(v, "map");
    assertThat(svg)
        .startsWith("<svg")
        .contains("<title id=\"t\">map</title>")
        .contains(MapState.UNACCEPTED.color());
  }

  @Test
  void beforeTheKernel_acceptedRamIsFree() {
    MemoryMapView v = guest(BootStage.EFI_STUB).memoryMapView(0, 12 * GIB, 64);
    assertThat(v.totals()[MapState.FREE.ordinal()] + v.totals()[MapState.UNACCEPTED.ordinal()])
        .isEqualTo(8 * GIB - (Sizes.MIB - 0xA0000));
  }

  @Test
  void badRanges_areRefused() {
    GuestVm vm = guest(BootStage.EFI_STUB);
    assertThatThrownBy(() -> vm.memoryMapView(10, 10, 8)).isInstanceOf(SimulatorException.class);
    assertThatThrownBy(() -> vm.memoryMapView(0, 10, 0)).isInstanceOf(SimulatorException.class);
  }
}
