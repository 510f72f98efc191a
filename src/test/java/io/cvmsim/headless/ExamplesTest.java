package io.cvmsim.headless;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.scenario.ScenarioLimits;
import io.cvmsim.scenario.doc.Documents;
import io.cvmsim.sweep.Sweep;
import io.cvmsim.sweep.SweepParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every file in examples/ the way CI would headless: scenarios in full (each must pass, exit
 * 0, and leave its JUnit report), sweeps (files named *sweep*) as one small shard of about two
 * configurations.
 */
class ExamplesTest {

  static final Path EXAMPLES = Path.of("examples");

  static Stream<Path> files(boolean sweeps) throws IOException {
    try (Stream<Path> all = Files.list(EXAMPLES)) {
      return all
          .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
          .filter(p -> p.getFileName().toString().contains("sweep") == sweeps)
          .sorted()
          .toList()
          .stream();
    }
  }

  static Stream<Path> scenarios() throws IOException {
    return files(false);
  }

  static Stream<Path> sweeps() throws IOException {
    return files(true);
  }

  @TempDir Path dir;

  @Test
  void theExamplesTheIssueAsksFor_areThere() throws IOException {
    assertThat(scenarios().map(p -> p.getFileName().toString()))
        .contains(
            "boot-time-claim.yaml",
            "fragmentation-study.yaml",
            "memory-hog-drain.yaml",
            "memory-hog-drain.json",
            "snapshot-round-trip.yaml");
    assertThat(sweeps().map(p -> p.getFileName().toString()))
        .contains("lazy-vs-eager-sweep.yaml", "sweep-1000.yaml");
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void scenario_passesHeadless(Path file) throws IOException {
    Path reports = dir.resolve("reports");
    int code =
        HeadlessRunTest.run(
            new HeadlessRun.Settings(file.toString(), reports.toString(), null, null, null, null));

    assertThat(code).as(file + " (see the log for what failed)").isEqualTo(HeadlessMode.OK);
    try (Stream<Path> reportFiles = Files.list(reports)) {
      assertThat(reportFiles.toList())
          .singleElement()
          .satisfies(r -> assertThat(Files.readString(r)).contains("failures=\"0\" errors=\"0\""));
    }
  }

  @ParameterizedTest
  @MethodSource("sweeps")
  void sweep_runsASmallShard(Path file) throws IOException {
    CvmsimProperties p = HeadlessRunTest.defaults(Map.of());
    Sweep sweep =
        SweepParser.parse(
            Files.readString(file),
            Documents.Format.ofFileName(file.toString()),
            file.toString(),
            ScenarioLimits.of(p.limits()),
            p.defaultSeed());
    int shards = (int) Math.max(1, sweep.size() / 2);
    Path out = dir.resolve("rows");

    int code =
        HeadlessRunTest.run(
            new HeadlessRun.Settings(
                null, null, file.toString(), "0/" + shards, out.toString(), null));

    assertThat(code).isEqualTo(HeadlessMode.OK);
    List<String> rows =
        Files.readAllLines(out.resolve(sweep.name() + ".shard-0-of-" + shards + ".csv"));
    List<String> data = rows.stream().filter(r -> !r.startsWith("#")).skip(1).toList();
    assertThat(data).isNotEmpty().hasSizeLessThanOrEqualTo(3);
    assertThat(data).as("no configuration failed").allSatisfy(r -> assertThat(r).endsWith(","));
  }

  @Test
  void theWorkedSweep_hasExactlyAThousandConfigurations() throws IOException {
    CvmsimProperties p = HeadlessRunTest.defaults(Map.of());
    Path file = EXAMPLES.resolve("sweep-1000.yaml");
    Sweep sweep =
        SweepParser.parse(
            Files.readString(file),
            Documents.Format.YAML,
            file.toString(),
            ScenarioLimits.of(p.limits()),
            p.defaultSeed());

    assertThat(sweep.size()).isEqualTo(1000);
  }
}
