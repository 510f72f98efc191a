package io.cvmsim.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.corpus.BundledRecordings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fragmentation indices (mm/vmstat.c __fragmentation_index(), unusable_free_index()) computed
 * from a recorded kernel's own /proc/buddyinfo are its debugfs extfrag files: byte for byte where
 * the kernel stood still between reading the files (at boot and at the first event, all but one
 * snapshot: linux-6.12-4g-boot's Normal zone changed by a block between buddyinfo and
 * unusable_index), and within 0.010 after a phase.
 */
class RecordedIndicesTest {

  static final BundledRecordings RECORDINGS =
      new BundledRecordings(RecordedIndicesTest.class.getClassLoader());

  @Test
  void indicesFromTheRecordedBuddyinfo_areTheRecordedDebugfsFiles() {
    int checked = 0;
    int moved = 0;
    for (KernelRecording r : RECORDINGS.all()) {
      Map<String, Map<String, String>> snapshots = new LinkedHashMap<>();
      snapshots.put("boot", r.boot());
      snapshots.put("start", r.start());
      for (KernelRecording.Phase p : r.phases()) {
        snapshots.put(p.name(), p.views());
      }
      for (var s : snapshots.entrySet()) {
        Map<String, String> files = s.getValue();
        if (!files.containsKey("extfrag_index")) {
          continue;
        }
        Map<String, long[]> buddy = KernelFiles.buddyinfo(files.get("buddyinfo"));
        String where = r.name() + " " + s.getKey();
        String extfrag = ProcFormat.extfragIndex(buddy);
        String unusable = ProcFormat.unusableIndex(buddy);
        boolean still = s.getKey().equals("boot") || s.getKey().equals("start");
        if (still
            && !(extfrag.equals(files.get("extfrag_index"))
                && unusable.equals(files.get("unusable_index")))) {
          moved++;
        }
        assertClose(where, extfrag, files.get("extfrag_index"));
        assertClose(where, unusable, files.get("unusable_index"));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10);
    assertThat(moved)
        .as("boot and start snapshots that differ from their buddyinfo")
        .isLessThanOrEqualTo(1);
  }

  private static void assertClose(String where, String computed, String recorded) {
    Map<String, int[]> c = KernelFiles.fragmentationIndex(computed);
    Map<String, int[]> r = KernelFiles.fragmentationIndex(recorded);
    assertThat(c.keySet()).as(where).isEqualTo(r.keySet());
    for (String zone : r.keySet()) {
      for (int o = 0; o < r.get(zone).length; o++) {
        assertThat(c.get(zone)[o])
            .as(where + " " + zone + " order " + o)
            .isBetween(r.get(zone)[o] - 10, r.get(zone)[o] + 10);
      }
    }
  }
}
