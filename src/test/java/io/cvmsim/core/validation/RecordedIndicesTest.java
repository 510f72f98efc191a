package io.cvmsim.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.corpus.BundledRecordings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fragmentation indices (mm/vmstat.c __fragmentation_index(), unusable_free_index()) computed
 * from a recorded kernel's own /proc/buddyinfo are its debugfs extfrag files: within 0.010 at boot
 * and after every recorded phase (the files are read one after the other), and byte for byte in
 * most snapshots.
 */
class RecordedIndicesTest {

  static final BundledRecordings RECORDINGS =
      new BundledRecordings(RecordedIndicesTest.class.getClassLoader());

  @Test
  void indicesFromTheRecordedBuddyinfo_areTheRecordedDebugfsFiles() {
    int checked = 0;
    int exact = 0;
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
        // The recorder reads buddyinfo and the debugfs files one after the other, so a kernel
        // that is not idle (6.12's boot still runs its deferred work) may move a page in between:
        // every snapshot is close, and most are equal byte for byte.
        assertClose(where, extfrag, files.get("extfrag_index"));
        assertClose(where, unusable, files.get("unusable_index"));
        if (extfrag.equals(files.get("extfrag_index"))
            && unusable.equals(files.get("unusable_index"))) {
          exact++;
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10);
    assertThat(exact).as("snapshots equal byte for byte").isGreaterThan(checked / 2);
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
