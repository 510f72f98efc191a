package io.cvmsim.headless;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar (failsafe's {@code it.jar}) run headless in a subprocess, as a CI pipeline runs
 * it: exit codes 0, 1 and 2, the JUnit report, logs on stderr only, no web server, and a sweep
 * split into shards and merged into exactly what one process writes.
 */
class HeadlessJarIT {

  static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void findTheJar() {
    String p = System.getProperty("it.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "it.jar must name the packaged jar (failsafe sets it after package): " + p);
    }
    jar = Path.of(p);
  }

  /** What a run of the jar left. */
  record Run(int exit, String stdout, String stderr) {}

  private Run java(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the jar did not exit within 300 s: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void passingScenario_exits0_writesTheReport_logsOnlyToStderr_andStartsNoWebServer()
      throws Exception {
    Path f =
        write(
            "pass.yaml",
            "name: pass\nvms: [{name: g, memory: 1GiB}]\n"
                + "expect: [meminfo.Unaccepted > 0, boot.seconds < 10s]\n");

    Run r =
        java(
            "--cvmsim.scenario=" + f,
            "--cvmsim.report.dir=" + dir.resolve("reports"),
            "--logging.level.org.springframework.boot.tomcat=INFO");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .contains("scenario pass: 2 passed, 0 failed")
        .doesNotContain("Tomcat")
        .doesNotContain("Started CvmsimApplication");
    assertThat(Files.readString(dir.resolve("reports/TEST-pass.xml")))
        .contains("<testsuite name=\"pass\" tests=\"2\" failures=\"0\" errors=\"0\"");
  }

  @Test
  void failingScenario_exits1_andTheReportHasTheFailure() throws Exception {
    Path f =
        write(
            "fail.yaml",
            "name: fail\nvms: [{name: g, memory: 1GiB}]\nexpect: [meminfo.Unaccepted == 0]\n");

    Run r = java("--cvmsim.scenario=" + f, "--cvmsim.report.dir=" + dir);

    assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
    assertThat(r.stderr()).contains("FAILED " + f + ":3:10: meminfo.Unaccepted == 0");
    assertThat(Files.readString(dir.resolve("TEST-fail.xml")))
        .contains("failures=\"1\"")
        .contains("<failure type=\"ExpectationFailed\"");
  }

  @Test
  void badScenario_exits2_withEachProblemsLineAndColumnOnStderr() throws Exception {
    Path f =
        write(
            "bad.yaml",
            "name: bad\nvms: [{name: g, memory: 1GiB, colour: red}]\nexpect: [vmstat.nope > 0]\n");

    Run r = java("--cvmsim.scenario=" + f, "--cvmsim.report.dir=" + dir.resolve("reports"));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .contains("has 2 problems")
        .contains("2:31: vms[0].colour: unknown field 'colour'")
        .contains("3:17: expect[0]: unknown vmstat item 'nope'");
    assertThat(dir.resolve("reports")).doesNotExist();
  }

  @Test
  void badUsage_exits2() throws Exception {
    Run r = java("--cvmsim.sweep=" + dir.resolve("absent.yaml"));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("--cvmsim.sweep.out=DIR is required");
  }

  @Test
  void sweepInThreeShards_mergesIntoWhatOneProcessWrites() throws Exception {
    Path f =
        write(
            "s.yaml",
            """
            name: it-sweep
            memorySizes: [1GiB, 2GiB]
            platforms: [TDX, SNP]
            policies: [LAZY, EAGER]
            workloads: [{type: fragmenter, fill: 0.2}]
            measures: [boot.seconds, meminfo.Unaccepted, extfrag.events, host.backedBytes]
            """);

    assertThat(java("--cvmsim.sweep=" + f, "--cvmsim.sweep.out=" + dir.resolve("one")).exit())
        .isZero();
    for (int i = 0; i < 3; i++) {
      Run shard =
          java(
              "--cvmsim.sweep=" + f,
              "--cvmsim.sweep.shard=" + i + "/3",
              "--cvmsim.sweep.out=" + dir.resolve("shards"));
      assertThat(shard.exit()).as(shard.stderr()).isZero();
    }
    Run merge =
        java(
            "--cvmsim.sweep.merge=" + dir.resolve("shards"),
            "--cvmsim.sweep.out=" + dir.resolve("merged"));

    assertThat(merge.exit()).as(merge.stderr()).isZero();
    for (String name : List.of("it-sweep.csv", "it-sweep.jsonl")) {
      assertThat(Files.readAllBytes(dir.resolve("merged").resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(dir.resolve("one").resolve(name)));
    }
    Files.delete(dir.resolve("shards/it-sweep.shard-2-of-3.csv"));
    Run incomplete =
        java(
            "--cvmsim.sweep.merge=" + dir.resolve("shards"),
            "--cvmsim.sweep.out=" + dir.resolve("merged2"));
    assertThat(incomplete.exit()).isEqualTo(2);
    assertThat(incomplete.stderr()).contains("shard 2/3 is missing: no it-sweep.shard-2-of-3.csv");
  }
}
