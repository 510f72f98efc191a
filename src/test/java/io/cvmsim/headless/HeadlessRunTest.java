package io.cvmsim.headless;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.config.ByteSize;
import io.cvmsim.config.CvmsimConfiguration;
import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** The headless runner in the JVM: exit codes, the report file, and refused settings. */
class HeadlessRunTest {

  @TempDir Path dir;

  /** Returns the settings bound as the application binds them, with {@code overrides}. */
  static CvmsimProperties defaults(Map<String, String> overrides) {
    AtomicReference<CvmsimProperties> p = new AtomicReference<>();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(CvmsimConfiguration.class)
        .withPropertyValues(
            overrides.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new))
        .run(ctx -> p.set(ctx.getBean(CvmsimProperties.class)));
    return p.get();
  }

  static int run(HeadlessRun.Settings settings, CvmsimProperties p) {
    VmRegistry registry = new VmRegistry(p.limits().vmLimits(), p.vmSettings());
    int code = new HeadlessRun(settings, p, registry, "test").run();
    assertThat(registry.size()).as("VMs left behind").isZero();
    return code;
  }

  static int run(HeadlessRun.Settings settings) {
    return run(settings, defaults(Map.of()));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static HeadlessRun.Settings scenario(Path file, Path reports) {
    return new HeadlessRun.Settings(file.toString(), reports.toString(), null, null, null, null);
  }

  @Test
  void passingScenario_exits0_andWritesTheReport() throws IOException {
    Path f =
        write(
            "ok.yaml", "name: ok\nvms: [{name: g, memory: 1GiB}]\nexpect: [meminfo.MemFree > 0]\n");

    assertThat(run(scenario(f, dir.resolve("reports")))).isEqualTo(HeadlessMode.OK);
    assertThat(Files.readString(dir.resolve("reports/TEST-ok.xml")))
        .contains("<testsuite name=\"ok\" tests=\"1\" failures=\"0\" errors=\"0\"");
  }

  @Test
  void failingScenario_exits1_andStillWritesTheReport() throws IOException {
    Path f =
        write(
            "no.yaml", "name: no\nvms: [{name: g, memory: 1GiB}]\nexpect: [meminfo.MemFree < 0]\n");

    assertThat(run(scenario(f, dir))).isEqualTo(HeadlessMode.FAILED);
    assertThat(Files.readString(dir.resolve("TEST-no.xml"))).contains("failures=\"1\"");
  }

  @Test
  void badScenario_exits2_andWritesNoReport() throws IOException {
    Path f =
        write(
            "bad.json",
            "{\"name\": \"bad\", \"vms\": [{\"name\": \"g\", \"memory\": \"1GiB\"}], \"steps\": 3}");

    assertThat(run(scenario(f, dir.resolve("r")))).isEqualTo(HeadlessMode.USAGE);
    assertThat(dir.resolve("r")).doesNotExist();
  }

  @Test
  void missingFile_exits2() {
    assertThat(run(scenario(dir.resolve("absent.yaml"), dir))).isEqualTo(HeadlessMode.USAGE);
  }

  @Test
  void aFileOverMaxRequestBytes_exits2() throws IOException {
    Path f =
        write("big.yaml", "name: big\nvms: [{name: g, memory: 1GiB}]\n# " + "x".repeat(200) + "\n");
    CvmsimProperties small = defaults(Map.of("cvmsim.limits.max-request-bytes", "128"));

    assertThat(run(scenario(f, dir), small)).isEqualTo(HeadlessMode.USAGE);
  }

  @Test
  void scenarioOverTheConfiguredLimits_exits2() throws IOException {
    Path f =
        write("many.yaml", "name: many\nvms: [{name: a, memory: 1GiB}, {name: b, memory: 1GiB}]\n");
    CvmsimProperties oneVm = defaults(Map.of("cvmsim.limits.max-vms", "1"));

    assertThat(run(scenario(f, dir), oneVm)).isEqualTo(HeadlessMode.USAGE);
  }

  @Test
  void settingsThatDoNotGoTogether_exit2() {
    assertThat(run(new HeadlessRun.Settings("a.yaml", null, "s.yaml", null, null, null)))
        .isEqualTo(HeadlessMode.USAGE);
    assertThat(run(new HeadlessRun.Settings(null, null, "s.yaml", null, null, null)))
        .as("a sweep without out")
        .isEqualTo(HeadlessMode.USAGE);
    assertThat(run(new HeadlessRun.Settings(null, null, "s.yaml", "4/4", "out", null)))
        .as("a shard out of range")
        .isEqualTo(HeadlessMode.USAGE);
    assertThat(run(new HeadlessRun.Settings(null, null, null, "0/2", "out", "in")))
        .as("a merge with a shard")
        .isEqualTo(HeadlessMode.USAGE);
    assertThat(run(new HeadlessRun.Settings("a.yaml", null, null, null, "out", null)))
        .as("a scenario with sweep settings")
        .isEqualTo(HeadlessMode.USAGE);
  }

  @Test
  void sweepShardsThenMerge_exit0_andAnIncompleteMergeExits2() throws IOException {
    Path f =
        write(
            "s.yaml",
            "name: s\nmemorySizes: [1GiB]\npolicies: [LAZY, EAGER]\nmeasures: [boot.seconds]\n");
    Path shards = dir.resolve("shards");

    assertThat(
            run(new HeadlessRun.Settings(null, null, f.toString(), "0/2", shards.toString(), null)))
        .isEqualTo(HeadlessMode.OK);
    assertThat(
            run(
                new HeadlessRun.Settings(
                    null, null, null, null, dir.resolve("t").toString(), shards.toString())))
        .as("shard 1/2 missing")
        .isEqualTo(HeadlessMode.USAGE);
    assertThat(
            run(new HeadlessRun.Settings(null, null, f.toString(), "1/2", shards.toString(), null)))
        .isEqualTo(HeadlessMode.OK);
    assertThat(
            run(
                new HeadlessRun.Settings(
                    null, null, null, null, dir.resolve("t").toString(), shards.toString())))
        .isEqualTo(HeadlessMode.OK);
    assertThat(Files.readAllLines(dir.resolve("t/s.csv"))).hasSize(5 + 2);
  }

  @Test
  void headlessMode_isRequestedByArgumentsOrTheEnvironment() {
    assertThat(HeadlessMode.requested(new String[] {"--cvmsim.scenario=x.yaml"}, Map.of()))
        .isTrue();
    assertThat(HeadlessMode.requested(new String[] {"--cvmsim.sweep.merge=d"}, Map.of())).isTrue();
    assertThat(HeadlessMode.requested(new String[] {}, Map.of("CVMSIM_SWEEP", "s.yaml"))).isTrue();
    assertThat(
            HeadlessMode.requested(
                new String[] {"--cvmsim.sweep.out=d", "--server.port=1"}, Map.of()))
        .isFalse();
    assertThat(List.of(HeadlessMode.OK, HeadlessMode.FAILED, HeadlessMode.USAGE))
        .containsExactly(0, 1, 2);
  }

  @Test
  void theDefaultsBoundHere_areTheApplicationsLimits() {
    CvmsimProperties p = defaults(Map.of());
    assertThat(p.limits().vmLimits()).isEqualTo(VmLimits.DEFAULTS);
    assertThat(p.limits().maxRequestBytes()).isEqualTo(ByteSize.parse("16MiB"));
    assertThat(p.vmSettings()).isEqualTo(VmSettings.DEFAULTS);
  }
}
