package io.cvmsim.scratch;

import io.cvmsim.core.validation.KernelComparison;
import io.cvmsim.core.validation.KernelRecording;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.corpus.BundledRecordings;
import org.junit.jupiter.api.Test;

class DiagScratchTest {
  @Test
  void diag() throws Exception {
    BundledRecordings recordings = new BundledRecordings(getClass().getClassLoader());
    String only = System.getProperty("diag.rec", "workload");
    for (KernelRecording r : recordings.all()) {
      if (!r.name().contains(only)) continue;
      var res = KernelComparison.run(r, VmSettings.DEFAULTS, null);
      for (var s : res.stages()) {
        StringBuilder b = new StringBuilder("STAGE " + r.name() + " " + s.name());
        for (var m : s.measures()) {
          if (m.name().equals("free pages")
              || m.name().equals("order TVD")
              || m.name().equals("pcp pages")
              || m.name().equals("kswapd wakes"))
            b.append(" | ")
                .append(m.name())
                .append(' ')
                .append(m.kernel())
                .append('/')
                .append(m.cvmsim())
                .append(String.format(" %.3f", m.distance()));
        }
        System.err.println(b);
      }
      System.err.println("REPLAY " + res.replay());
    }
  }
}
