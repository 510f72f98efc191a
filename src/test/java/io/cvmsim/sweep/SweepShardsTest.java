package io.cvmsim.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.scenario.ScenarioFiles;
import io.cvmsim.scenario.doc.Documents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process against four shards: the merged table is byte for byte the one process's, and every
 * way shards can fail to belong together is refused.
 */
class SweepShardsTest {

  static final String SWEEP =
      """
      name: tiny
      memorySizes: [1GiB, 2GiB]
      platforms: [TDX, SNP]
      policies: [LAZY, EAGER]
      workloads:
        - {type: memory-hog, fill: 0.3, release: 0.5}
      seeds: [1, 2]
      measures:
        - boot.seconds
        - meminfo.Unaccepted
        - host.backedBytes
        - extfrag.events
        - workload.acceptedChunks
        - buddyinfo.DMA32[9]
        - {name: freeShare, value: meminfo.MemFree / meminfo.MemTotal}
        - {name: "tricky, \\"quoted\\"", value: vmstat.pgfree}
      """;

  @TempDir static Path dir;
  static Sweep sweep;
  static SweepRunner runner;

  @BeforeAll
  static void runOnceAndInFourShards() throws IOException {
    sweep = SweepParser.parse(SWEEP, Documents.Format.YAML, "tiny.yaml", ScenarioFiles.LIMITS, 42);
    runner = new SweepRunner(ScenarioFiles.LIMITS, VmSettings.DEFAULTS, "test");
    runner.run(sweep, null, dir.resolve("one"), null);
    for (int i = 0; i < 4; i++) {
      runner.run(sweep, new Shard(i, 4), dir.resolve("shards"), null);
    }
  }

  private static Path copyShards(String name) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    try (var files = Files.list(dir.resolve("shards"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, d.resolve(p.getFileName()));
      }
    }
    return d;
  }

  @Test
  void fourShardsMerged_equalOneProcess_byteForByte() throws Exception {
    SweepMerge.Summary s = SweepMerge.merge(dir.resolve("shards"), dir.resolve("merged"));

    assertThat(s.rows()).isEqualTo(16);
    assertThat(s.shards()).isEqualTo(4);
    for (String f : List.of("tiny.csv", "tiny.jsonl")) {
      assertThat(Files.readAllBytes(dir.resolve("merged").resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(dir.resolve("one").resolve(f)));
    }
  }

  @Test
  void theTable_hasTheHeaderAndOneRowPerConfiguration_withoutErrors() throws IOException {
    List<String> csv = Files.readAllLines(dir.resolve("one/tiny.csv"));

    assertThat(csv.subList(0, 4))
        .containsExactly(
            "# cvmsim sweep tiny",
            "# sha256 " + sweep.sha256(),
            "# cvmsim test",
            "# configurations 16");
    assertThat(csv.get(4))
        .startsWith("index,memory,platform,")
        .endsWith(",\"tricky, \"\"quoted\"\"\",error");
    assertThat(csv).hasSize(5 + 16);
    assertThat(csv.subList(5, csv.size())).allSatisfy(row -> assertThat(row).endsWith(","));
    List<String> jsonl = Files.readAllLines(dir.resolve("one/tiny.jsonl"));
    assertThat(jsonl.get(0)).startsWith("{\"sweep\":\"tiny\",\"sha256\":\"" + sweep.sha256());
    assertThat(jsonl.get(1)).startsWith("{\"index\":0,\"memory\":\"1GiB\",\"platform\":\"TDX\"");
    assertThat(jsonl.get(1)).endsWith(",\"error\":null}");
  }

  @Test
  void shardFiles_nameTheirShardAndRows() throws IOException {
    List<String> csv = Files.readAllLines(dir.resolve("shards/tiny.shard-3-of-4.csv"));
    assertThat(csv.get(4)).isEqualTo("# shard 3/4 rows 4");
    assertThat(csv.get(6)).startsWith("3,");
    assertThat(csv.get(7)).startsWith("7,");
    String header = Files.readAllLines(dir.resolve("shards/tiny.shard-3-of-4.jsonl")).get(0);
    assertThat(header).contains("\"shard\":3,\"shards\":4,\"rows\":4");
  }

  @Test
  void aMissingShard_isRefused() throws Exception {
    Path d = copyShards("missing");
    Files.delete(d.resolve("tiny.shard-2-of-4.jsonl"));

    assertThatThrownBy(() -> SweepMerge.merge(d, dir.resolve("out-missing")))
        .isInstanceOf(SweepMerge.MergeException.class)
        .hasMessage("shard 2/4 is missing: no tiny.shard-2-of-4.jsonl");
    assertThat(dir.resolve("out-missing")).doesNotExist();
  }

  @Test
  void aShardOfAnotherSweepFile_isRefused() throws Exception {
    Path d = copyShards("mixed");
    Sweep edited =
        SweepParser.parse(
            SWEEP + "# edited\n", Documents.Format.YAML, "tiny.yaml", ScenarioFiles.LIMITS, 42);
    Path other = dir.resolve("other");
    runner.run(edited, new Shard(1, 4), other, null);
    Files.copy(
        other.resolve("tiny.shard-1-of-4.csv"),
        d.resolve("tiny.shard-1-of-4.csv"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        other.resolve("tiny.shard-1-of-4.jsonl"),
        d.resolve("tiny.shard-1-of-4.jsonl"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> SweepMerge.merge(d, dir.resolve("out-mixed")))
        .isInstanceOf(SweepMerge.MergeException.class)
        .hasMessageStartingWith("shard 1 comes from another sweep file");
  }

  @Test
  void aTruncatedShard_isRefused() throws Exception {
    Path d = copyShards("truncated");
    Path f = d.resolve("tiny.shard-0-of-4.jsonl");
    List<String> lines = Files.readAllLines(f);
    Files.write(f, lines.subList(0, lines.size() - 1));

    assertThatThrownBy(() -> SweepMerge.merge(d, dir.resolve("out-truncated")))
        .isInstanceOf(SweepMerge.MergeException.class)
        .hasMessageStartingWith("shard 0/4 is incomplete: 3 rows");
  }

  @Test
  void shardsOfTwoShardCounts_areRefused() throws Exception {
    Path d = copyShards("twocounts");
    runner.run(sweep, new Shard(0, 2), d, null);

    assertThatThrownBy(() -> SweepMerge.merge(d, dir.resolve("out-two")))
        .isInstanceOf(SweepMerge.MergeException.class)
        .hasMessageContaining("more than one sweep or shard count");
  }

  @Test
  void anEmptyDirectory_isRefused() throws Exception {
    Path d = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> SweepMerge.merge(d, dir.resolve("out-empty")))
        .isInstanceOf(SweepMerge.MergeException.class)
        .hasMessageStartingWith("no shard files");
  }

  @Test
  void aConfigurationTheCoreRefuses_getsAnErrorCell_andTheOthersRun() throws IOException {
    Sweep s =
        SweepParser.parse(
            "name: lim\nmemorySizes: [1GiB, 32MiB]\npolicies: [LAZY]\nmeasures: [boot.seconds]\n",
            Documents.Format.YAML,
            "lim.yaml",
            ScenarioFiles.LIMITS,
            1);
    SweepRunner.Summary sum = runner.run(s, null, dir.resolve("lim"), null);

    assertThat(sum.configurations()).isEqualTo(2);
    List<String> rows = Files.readAllLines(dir.resolve("lim/lim.csv"));
    assertThat(rows.get(5)).matches("0,1GiB,TDX,6.5,LAZY,none,1,[0-9.]+,");
    assertThat(rows.get(6)).isEqualTo("1,32MiB,TDX,6.5,LAZY,none,1,,memory must be at least 64MiB");
    assertThat(sum.errors()).isEqualTo(1);
  }
}
