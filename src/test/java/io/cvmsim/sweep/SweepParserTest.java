package io.cvmsim.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.scenario.ScenarioFiles;
import io.cvmsim.scenario.ScenarioLimits;
import io.cvmsim.scenario.doc.DocumentException;
import io.cvmsim.scenario.doc.Documents;
import io.cvmsim.scenario.doc.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepParserTest {

  static final String GRID =
      """
      name: grid
      memorySizes: [1GiB, 2GiB, 4GiB]
      platforms: [TDX, SNP]
      kernels: ["6.5", mainline]
      policies: [LAZY, EAGER]
      workloads:
        - {type: memory-hog, fill: 0.25}
        - {name: frag, type: fragmenter, fill: 0.2}
      seeds: {from: 1, to: 5}
      vcpus: 2
      hostPageSize: 4K
      measures:
        - boot.seconds
        - {name: unaccepted, value: meminfo.Unaccepted}
        - workload.failures
      """;

  static Sweep sweep(String text) {
    return SweepParser.parse(text, Documents.Format.YAML, "s.yaml", ScenarioFiles.LIMITS, 42);
  }

  static DocumentException refused(String text, ScenarioLimits limits) {
    try {
      SweepParser.parse(text, Documents.Format.YAML, "s.yaml", limits, 42);
    } catch (DocumentException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  @Test
  void theProduct_hasEveryCombinationOnce_lastAxisFastest() {
    Sweep s = sweep(GRID);

    assertThat(s.size()).isEqualTo(3L * 2 * 2 * 2 * 2 * 5);
    Sweep.Configuration first = s.configuration(0);
    assertThat(first.memoryBytes()).isEqualTo(Sizes.GIB);
    assertThat(first.platform()).isEqualTo(Platform.TDX);
    assertThat(first.seed()).isEqualTo(1);
    assertThat(s.configuration(1).seed()).isEqualTo(2);
    assertThat(s.configuration(5).workload().name()).isEqualTo("frag");
    assertThat(s.configuration(10).policy()).isEqualTo(AcceptPolicy.EAGER);
    assertThat(s.configuration(20).kernel()).isEqualTo(KernelModel.MAINLINE);
    assertThat(s.configuration(40).platform()).isEqualTo(Platform.SNP);
    assertThat(s.configuration(80).memoryBytes()).isEqualTo(2 * Sizes.GIB);
    Set<List<Object>> seen = new HashSet<>();
    for (long k = 0; k < s.size(); k++) {
      List<Object> keys = new ArrayList<>(s.configuration(k).keys());
      keys.remove(0);
      assertThat(seen.add(keys)).as("configuration %d", k).isTrue();
    }
    assertThat(s.columns())
        .containsExactly(
            "index",
            "memory",
            "platform",
            "kernel",
            "policy",
            "workload",
            "seed",
            "boot.seconds",
            "unaccepted",
            "workload.failures",
            "error");
  }

  @Test
  void theHash_isTheFilesSha256_soAnyEditChangesIt() {
    assertThat(sweep(GRID).sha256())
        .hasSize(64)
        .isEqualTo(SweepParser.sha256(GRID))
        .isNotEqualTo(sweep(GRID + "# a comment\n").sha256());
  }

  @Test
  void badSweep_reportsEveryProblemWithLineAndColumn() {
    DocumentException e =
        refused(
            """
            name: bad
            memorySizes: [1GiB, 2XB]
            platforms: [TDX, ARM]
            workloads:
              - {type: memory-hog, seed: 3}
              - {type: juggler}
            measures:
              - meminfo.Unacepted
              - snapshot.x
              - boot.seconds < 1s
            colour: blue
            """,
            ScenarioFiles.LIMITS);

    assertThat(e.problems())
        .extracting(p -> p.line() + ":" + p.column() + " " + p.message())
        .anySatisfy(m -> assertThat(m).startsWith("2:21 a size: '2XB' has an unknown unit"))
        .anySatisfy(m -> assertThat(m).startsWith("3:18 unknown platform 'ARM'"))
        .anySatisfy(m -> assertThat(m).startsWith("5:24 give seeds in the seeds axis"))
        .anySatisfy(m -> assertThat(m).contains("unknown workload type 'juggler'"))
        .anySatisfy(m -> assertThat(m).startsWith("8:13 unknown meminfo field 'Unacepted'"))
        .anySatisfy(m -> assertThat(m).contains("belongs to scenarios"))
        .anySatisfy(m -> assertThat(m).startsWith("10:18 unexpected '<"))
        .anySatisfy(m -> assertThat(m).startsWith("11:1 unknown field 'colour'"));
  }

  @Test
  void sizesOverTheLimit_areOverLimit() {
    ScenarioLimits small = new ScenarioLimits(64, 2 * Sizes.GIB, Sizes.TIB, 100, Sizes.MIB);
    DocumentException e =
        refused("name: s\nmemorySizes: [1GiB, 4GiB]\nmeasures: [boot.seconds]\n", small);

    assertThat(e.kind()).isEqualTo(DocumentException.Kind.OVER_LIMIT);
    assertThat(e.problems())
        .extracting(Problem::message)
        .containsExactly("4GiB is over cvmsim.limits.max-memory-per-vm (2GiB)");
  }

  @Test
  void defaults_areTdxKernel65BothPoliciesNoWorkloadAndTheDefaultSeed() {
    Sweep s = sweep("name: d\nmemorySizes: 1GiB\nmeasures: boot.seconds\n");

    assertThat(s.size()).isEqualTo(2);
    assertThat(s.configuration(0).keys())
        .containsExactly(0L, "1GiB", "TDX", "6.5", "LAZY", "none", 42L);
    assertThatThrownBy(() -> sweep("name: d\nmemorySizes: 1GiB\nmeasures: workload.events\n"))
        .hasMessageContaining("has 1 problem");
  }

  @Test
  void shards_splitRoundRobin_andCoverEveryConfigurationOnce() {
    long total = 23;
    long covered = 0;
    for (int i = 0; i < 4; i++) {
      Shard s = new Shard(i, 4);
      long n = 0;
      for (long k = 0; k < total; k++) {
        if (s.owns(k)) {
          n++;
        }
      }
      assertThat(s.size(total)).isEqualTo(n);
      covered += n;
    }
    assertThat(covered).isEqualTo(total);
    assertThat(Shard.parse(" 3/8 ")).isEqualTo(new Shard(3, 8));
    assertThatThrownBy(() -> Shard.parse("4/4")).hasMessageContaining("between 0 and 3");
    assertThatThrownBy(() -> Shard.parse("x/4")).hasMessageContaining("written I/N");
    assertThatThrownBy(() -> Shard.parse("0/0")).hasMessageContaining("between 1 and");
  }
}
