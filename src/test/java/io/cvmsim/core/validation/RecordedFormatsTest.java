package io.cvmsim.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.TestGuests;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.corpus.BundledRecordings;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * cvmsim prints, for a recorded kernel's model, the same /proc files as that kernel: line for line
 * the same names in the same order and the same layout, only the numbers differ. Checked against
 * the boot files of every bundled recording.
 */
class RecordedFormatsTest {

  static final BundledRecordings RECORDINGS =
      new BundledRecordings(RecordedFormatsTest.class.getClassLoader());

  /** Returns the file with every number replaced by '#' and runs of blanks by one. */
  static String shape(String text) {
    return text.replaceAll("-?\\d+(\\.\\d+)?", "#").replaceAll("[ \\t]+", " ").trim();
  }

  @Test
  void everyBundledRecording_hasCvmsimsFormats_lineForLine() {
    assertThat(RECORDINGS.all()).isNotEmpty();
    Map<String, Function<MemorySnapshot, String>> files =
        Map.of(
            "meminfo", ProcFormat::meminfo,
            "vmstat", ProcFormat::vmstat,
            "zoneinfo", ProcFormat::zoneinfo,
            "buddyinfo", ProcFormat::buddyinfo,
            "pagetypeinfo", ProcFormat::pagetypeinfo);
    for (KernelRecording r : RECORDINGS.all()) {
      GuestVm vm =
          TestGuests.create(RecordedGuest.spec(r), RecordedGuest.settings(r, VmSettings.DEFAULTS));
      MemorySnapshot s = vm.memory();
      for (var f : files.entrySet()) {
        List<String> kernel = shape(r.boot().get(f.getKey())).lines().toList();
        List<String> cvmsim = shape(f.getValue().apply(s)).lines().toList();
        assertThat(kernel).as(r.name() + " " + f.getKey()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cvmsim).as(r.name() + " " + f.getKey()).isEqualTo(kernel);
      }
    }
  }

  @Test
  void theRecordedKernels_printDifferentVmstats_soTheDialectsAreNotInterchangeable() {
    String v61 = null;
    String v612 = null;
    for (KernelRecording r : RECORDINGS.all()) {
      String shape = shape(r.boot().get("vmstat"));
      if (r.model().equals("6.1")) {
        v61 = shape;
      } else if (r.model().equals("6.12")) {
        v612 = shape;
      }
    }
    assertThat(v61).isNotNull();
    assertThat(v612).isNotNull().isNotEqualTo(v61);
  }
}
