package io.cvmsim.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replays real-format traces: perf script and ftrace (trace-cmd report / tracefs). */
class TraceReplayWorkloadTest {

  static String resource(String name) throws IOException {
    try (InputStream in = TraceReplayWorkloadTest.class.getResourceAsStream("/traces/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"perf-script.txt", "ftrace.txt"})
  void bothFormats_parseToTheSameEvents_andReportMalformedLinesByNumber(String file)
      throws IOException {
    TraceReplayWorkload.Parsed p = TraceReplayWorkload.parse(resource(file));
    assertThat(p.events()).hasSize(9);
    assertThat(p.events().get(0))
        .isEqualTo(
            new TraceReplayWorkload.Event(
                1, 0x119b3a, 0, Gfp.parse("GFP_HIGHUSER_MOVABLE|__GFP_ZERO")));
    // the masks as traced: zone, migrate type and reclaim bits all come from the flags
    assertThat(p.events().get(1).gfp()).isEqualTo(Gfp.parse("GFP_KERNEL_ACCOUNT|__GFP_ZERO"));
    assertThat(p.events().get(1).gfp().canDirectReclaim()).isTrue();
    assertThat(p.events().get(2).gfp().high()).isTrue();
    assertThat(p.events().get(2).gfp().canDirectReclaim()).isFalse();
    assertThat(p.events().get(3))
        .isEqualTo(new TraceReplayWorkload.Event(2, 0x12a000, 9, Gfp.GFP_TRANSHUGE_LIGHT));
    assertThat(p.events().get(4).gfp()).isEqualTo(Gfp.GFP_KERNEL_RECLAIMABLE);
    assertThat(p.events().get(4).gfp().migrateType().ordinal()).isEqualTo(2);
    assertThat(p.events().get(5)).isEqualTo(new TraceReplayWorkload.Event(0, 0x119b3a, 0, null));
    assertThat(p.malformed()).isEqualTo(1);
    assertThat(p.errors())
        .singleElement()
        .asString()
        .startsWith("line " + (file.startsWith("perf") ? 10 : 22) + ":");
  }

  @Test
  void replay_makesTheAllocations_andFreesWhatItAllocated() throws IOException {
    var vm = KernelBuildWorkloadTest.guest(AcceptPolicy.LAZY, 2 * Sizes.GIB);
    long before = vm.memory().liveAllocations();
    WorkloadResult r =
        WorkloadType.TRACE_REPLAY
            .create(new WorkloadParams(Map.of("trace", resource("perf-script.txt"))), 1)
            .run(vm, new Ctx());
    assertThat(r.allocations()).isEqualTo(5);
    assertThat(r.frees()).isEqualTo(3);
    assertThat(r.details()).containsEntry("unmatchedFrees", 1L).containsEntry("malformedLines", 1L);
    assertThat((List<?>) r.details().get("malformed")).hasSize(1);
    long after = vm.memory().liveAllocations();
    assertThat(after).isEqualTo(before + 2);
    vm.checkInvariants();
  }
}
