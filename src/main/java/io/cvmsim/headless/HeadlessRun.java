package io.cvmsim.headless;

import io.cvmsim.config.CvmsimProperties;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.scenario.JUnitReport;
import io.cvmsim.scenario.Scenario;
import io.cvmsim.scenario.ScenarioLimits;
import io.cvmsim.scenario.ScenarioParser;
import io.cvmsim.scenario.ScenarioResult;
import io.cvmsim.scenario.ScenarioRunner;
import io.cvmsim.scenario.doc.DocumentException;
import io.cvmsim.scenario.doc.Documents;
import io.cvmsim.scenario.doc.Problem;
import io.cvmsim.sweep.Shard;
import io.cvmsim.sweep.Sweep;
import io.cvmsim.sweep.SweepMerge;
import io.cvmsim.sweep.SweepParser;
import io.cvmsim.sweep.SweepRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One headless run: a scenario with its JUnit report, a sweep (or one shard of it), or a merge of
 * shard files. Plain Java over the core and the scenario and sweep packages, so tests run it in the
 * JVM; {@link HeadlessConfiguration} runs it as the application's runner and {@link
 * HeadlessMode#exitWhenDone} turns its {@link #exitCode()} into the process's.
 */
public final class HeadlessRun {

  private static final Logger log = LoggerFactory.getLogger(HeadlessRun.class);

  /**
   * What the run was asked to do (null where a setting is absent).
   *
   * @param scenario the scenario file
   * @param reportDir where the JUnit report goes (default: the working directory)
   * @param sweep the sweep file
   * @param shard the shard, I/N (absent: the whole sweep into one table)
   * @param out where sweep rows or the merged table go
   * @param merge the directory of shard files to merge
   */
  public record Settings(
      String scenario, String reportDir, String sweep, String shard, String out, String merge) {}

  private final Settings settings;
  private final CvmsimProperties properties;
  private final VmRegistry registry;
  private final String version;
  private int exitCode = -1;

  /** Creates the run; {@code registry} holds the scenario's VMs (sweeps make their own). */
  public HeadlessRun(
      Settings settings, CvmsimProperties properties, VmRegistry registry, String version) {
    this.settings = settings;
    this.properties = properties;
    this.registry = registry;
    this.version = version;
  }

  /** Returns the exit code: {@link HeadlessMode#OK}, FAILED or USAGE; -1 before {@link #run}. */
  public int exitCode() {
    return exitCode;
  }

  /** Runs what the settings ask for and returns the exit code. */
  public int run() {
    exitCode = dispatch();
    return exitCode;
  }

  private int dispatch() {
    Settings s = settings;
    int modes =
        (s.scenario() != null ? 1 : 0) + (s.sweep() != null ? 1 : 0) + (s.merge() != null ? 1 : 0);
    if (modes != 1) {
      return usage(
          "give exactly one of --cvmsim.scenario=FILE, --cvmsim.sweep=FILE and"
              + " --cvmsim.sweep.merge=DIR");
    }
    if (s.scenario() != null) {
      if (s.shard() != null || s.out() != null) {
        return usage("--cvmsim.sweep.shard and --cvmsim.sweep.out belong to sweeps, not scenarios");
      }
      return scenario(Path.of(s.scenario()), Path.of(s.reportDir() == null ? "." : s.reportDir()));
    }
    if (s.reportDir() != null) {
      return usage("--cvmsim.report.dir belongs to scenarios; sweeps write to --cvmsim.sweep.out");
    }
    if (s.out() == null) {
      return usage("--cvmsim.sweep.out=DIR is required: where the rows go");
    }
    if (s.merge() != null) {
      if (s.shard() != null) {
        return usage("--cvmsim.sweep.shard does not apply to a merge");
      }
      return merge(Path.of(s.merge()), Path.of(s.out()));
    }
    Shard shard = null;
    if (s.shard() != null) {
      try {
        shard = Shard.parse(s.shard());
      } catch (IllegalArgumentException e) {
        return usage("--cvmsim.sweep.shard: " + e.getMessage());
      }
    }
    return sweep(Path.of(s.sweep()), shard, Path.of(s.out()));
  }

  private static int usage(String message) {
    log.error("{}", message);
    return HeadlessMode.USAGE;
  }

  private ScenarioLimits limits() {
    return ScenarioLimits.of(properties.limits());
  }

  private String read(Path file) throws IOException {
    long limit = properties.limits().maxRequestBytes().bytes();
    if (Files.size(file) > limit) {
      throw new DocumentException(
          DocumentException.Kind.OVER_LIMIT,
          file.toString(),
          List.of(
              new Problem(
                  1,
                  1,
                  "",
                  "the file has "
                      + Files.size(file)
                      + " bytes, over cvmsim.limits.max-request-bytes")));
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static int invalid(DocumentException e) {
    log.error("{}", e.getMessage());
    for (Problem p : e.problems()) {
      log.error("  {}", p);
    }
    return HeadlessMode.USAGE;
  }

  private static int unreadable(Path file, IOException e) {
    String why =
        e instanceof MalformedInputException
            ? "it is not UTF-8 text"
            : e instanceof NoSuchFileException ? "no such file" : e.toString();
    log.error("cannot read {}: {}", file, why);
    return HeadlessMode.USAGE;
  }

  // ------------------------------------------------------------------ scenario

  private int scenario(Path file, Path reportDir) {
    Scenario scenario;
    try {
      scenario =
          ScenarioParser.parse(
              read(file),
              Documents.Format.ofFileName(file.toString()),
              file.toString(),
              limits(),
              properties.defaultSeed());
    } catch (IOException e) {
      return unreadable(file, e);
    } catch (DocumentException e) {
      return invalid(e);
    }
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    ScenarioResult r =
        new ScenarioRunner(registry, properties.defaultSeed())
            .run(scenario, ScenarioRunner.newRunId(), false, ScenarioRunner.NO_JOB);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Path report;
    try {
      report = JUnitReport.write(r, file.toString(), started, seconds, reportDir);
    } catch (UncheckedIOException e) {
      log.error("{}", e.getMessage(), e.getCause());
      return HeadlessMode.FAILED;
    }
    for (ScenarioResult.StepOutcome s : r.steps()) {
      if (s.status() == ScenarioResult.Status.ERROR) {
        log.error(
            "{}:{}: step {} ({}) could not run: {}",
            file,
            s.line(),
            s.number(),
            s.kind(),
            s.message());
      }
    }
    for (ScenarioResult.VmOutcome v : r.vms()) {
      if (v.status() == ScenarioResult.Status.ERROR) {
        log.error("{}: VM {} could not be created: {}", file, v.name(), v.message());
      }
    }
    for (ScenarioResult.ExpectationOutcome e : r.expectations()) {
      if (e.status() == ScenarioResult.Status.PASSED) {
        log.info("PASSED {} ({} {})", e.name(), e.actual(), e.expected());
      } else {
        log.warn(
            "{} {}:{}:{}: {}: {}", e.status(), file, e.line(), e.column(), e.name(), e.message());
      }
    }
    log.info(
        "scenario {}: {} passed, {} failed, {} not evaluated, in {} s; report {}",
        r.name(),
        r.expectationsPassed(),
        r.expectationsFailed(),
        r.expectationsErrored(),
        String.format(Locale.ROOT, "%.2f", seconds),
        report);
    return r.passed() ? HeadlessMode.OK : HeadlessMode.FAILED;
  }

  // ------------------------------------------------------------------ sweep and merge

  private int sweep(Path file, Shard shard, Path out) {
    Sweep sweep;
    try {
      sweep =
          SweepParser.parse(
              read(file),
              Documents.Format.ofFileName(file.toString()),
              file.toString(),
              limits(),
              properties.defaultSeed());
    } catch (IOException e) {
      return unreadable(file, e);
    } catch (DocumentException e) {
      return invalid(e);
    }
    log.info(
        "sweep {} ({} configurations, sha256 {}): running {}",
        sweep.name(),
        sweep.size(),
        sweep.sha256(),
        shard == null ? "all of them" : "shard " + shard);
    try {
      SweepRunner.Summary s =
          new SweepRunner(limits(), properties.vmSettings(), version).run(sweep, shard, out, null);
      log.info(
          "sweep {}: {} configurations in {} s ({}/s), {} with errors; wrote {} and {}",
          sweep.name(),
          s.configurations(),
          String.format(Locale.ROOT, "%.2f", s.seconds()),
          String.format(Locale.ROOT, "%.3f", s.perSecond()),
          s.errors(),
          s.csv(),
          s.jsonl());
      return HeadlessMode.OK;
    } catch (IOException e) {
      log.error("cannot write the sweep's rows into {}: {}", out, e.toString());
      return HeadlessMode.FAILED;
    }
  }

  private int merge(Path in, Path out) {
    try {
      SweepMerge.Summary s = SweepMerge.merge(in, out);
      log.info(
          "merged {} shards of sweep {}: {} rows into {} and {}",
          s.shards(),
          s.sweep(),
          s.rows(),
          s.csv(),
          s.jsonl());
      return HeadlessMode.OK;
    } catch (SweepMerge.MergeException e) {
      log.error("cannot merge {}: {}", in, e.getMessage());
      return HeadlessMode.USAGE;
    } catch (IOException e) {
      log.error("cannot merge {} into {}: {}", in, out, e.toString());
      return HeadlessMode.FAILED;
    }
  }
}
