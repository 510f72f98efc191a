package io.cvmsim.core.stats;

import static io.cvmsim.core.memory.Sizes.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.TestGuests;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSpec;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text views follow the kernel's printf formats and add up. */
class ProcFormatTest {

  static MemorySnapshot snapshot(String k) {
    return TestGuests.create(
            new VmSpec(
                null,
                Platform.TDX,
                k,
                AcceptPolicy.LAZY,
                4 * GIB,
                null,
                null,
                2,
                BootStage.KERNEL,
                null,
                false))
        .memory();
  }

  @Test
  void meminfo_linesHaveTheKernelsWidths_andUnacceptedIsNrUnacceptedTimesFour() {
    MemorySnapshot s = snapshot("6.5");
    String text = ProcFormat.meminfo(s);
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).matches("MemTotal: {7}[ \\d]{8} kB");
    assertThat(lines).contains(String.format("Unaccepted:     %8d kB", s.unacceptedPages() * 4));
    assertThat(lines).anyMatch(l -> l.matches("HugePages_Total: {3}[ \\d]{5}"));
    assertThat(lines).anyMatch(l -> l.matches("HardwareCorrupted: [ \\d]{5} kB"));
    assertThat(text).doesNotContain("Balloon");
    int unaccepted = indexOf(lines, "Unaccepted:");
    assertThat(lines.get(unaccepted - 1)).startsWith("CmaFree:");
    assertThat(lines.get(unaccepted + 1)).startsWith("HugePages_Total:");
    // MemFree includes the parked memory, not the per-cpu lists; MemTotal = free + allocated +
    // per-cpu
    assertThat(s.freePages()).isGreaterThan(s.unacceptedPages());
    long allocated = 0;
    long pcp = 0;
    for (ZoneSnapshot z : s.zones()) {
      allocated += z.allocatedPages();
      pcp += z.pcpPages();
    }
    assertThat(pcp).isPositive();
    assertThat(s.totalPages()).isEqualTo(s.freePages() + allocated + pcp);
    assertThat(ProcFormat.meminfo(snapshot("mainline"))).contains("\nBalloon:        ");
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void buddyinfo_andExtfrag_coverPopulatedZonesOnly() {
    MemorySnapshot s = snapshot("6.5");
    Pattern row = Pattern.compile("Node 0, zone {3}( {3}DMA| DMA32|Normal)( +\\d+){11} ");
    for (String l : ProcFormat.buddyinfo(s).lines().toList()) {
      assertThat(row.matcher(l).matches()).as(l).isTrue();
    }
    assertThat(ProcFormat.buddyinfo(s).lines()).hasSize(3);
    Pattern idx =
        Pattern.compile("Node 0, zone {3}( {3}DMA| DMA32|Normal)( (-1| 0)\\.\\d{3}){11} ");
    for (String l : ProcFormat.extfragIndex(s).lines().toList()) {
      assertThat(idx.matcher(l).matches()).as(l).isTrue();
    }
    assertThat(ProcFormat.unusableIndex(s)).contains("Node 0, zone   Normal 0.");
  }

  @Test
  void zoneinfo_printsEveryZone_andPromoOnlyInMainline() {
    String v65 = ProcFormat.zoneinfo(snapshot("6.5"));
    assertThat(v65).contains("Node 0, zone  Movable").contains("Node 0, zone   Device");
    assertThat(v65).doesNotContain("promo");
    assertThat(v65).contains("\n      nr_unaccepted ");
    assertThat(v65).contains("\n        protection: (0, ");
    String ml = ProcFormat.zoneinfo(snapshot("mainline"));
    assertThat(ml).contains("\n        promo    ");
    assertThat(ml).doesNotContain("nr_bounce");
  }

  @Test
  void vmstat_hasUnacceptedRightAfterFreeCma() {
    List<String> lines = ProcFormat.vmstat(snapshot("6.5")).lines().toList();
    int i = indexOf(lines, "nr_unaccepted ");
    assertThat(lines.get(i - 1)).startsWith("nr_free_cma ");
    assertThat(lines).anyMatch(l -> l.startsWith("pgalloc_normal "));
    assertThat(lines).anyMatch(l -> l.startsWith("pgfree "));
  }

  @Test
  void pagetypeinfo_header() {
    String t = ProcFormat.pagetypeinfo(snapshot("6.5"));
    assertThat(t).startsWith("Page block order: 9\nPages per block:  512\n\n");
    assertThat(t).contains("Free pages count per migrate type at order       0      1");
    assertThat(t).contains("Node    0, zone   Normal, type      Movable ");
    assertThat(t)
        .contains(
            "\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate \n");
  }
}
