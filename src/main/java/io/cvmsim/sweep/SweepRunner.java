package io.cvmsim.sweep;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmViews;
import io.cvmsim.core.workload.Workload;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.scenario.ScenarioLimits;
import io.cvmsim.scenario.ScenarioRunner;
import io.cvmsim.scenario.expr.EvalException;
import io.cvmsim.scenario.expr.Probe;
import io.cvmsim.scenario.expr.StepFields;
import io.cvmsim.scenario.expr.Views;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configurations of one shard of a sweep, one after the other, and writes its rows. Each
 * configuration's guest is created in a registry with the configured limits ({@code
 * cvmsim.limits.*}, the API's), booted, driven by its seeded workload, measured and deleted. A
 * configuration that cannot run (a limit, an impossible guest, a measure that cannot be read) gets
 * its reason in the {@code error} column and empty measures; the others are unaffected. Rows hold
 * only simulated values, never wall-clock time, so they follow from the file alone.
 */
public final class SweepRunner {

  private static final Logger log = LoggerFactory.getLogger(SweepRunner.class);

  /**
   * What a run wrote.
   *
   * @param configurations rows written
   * @param errors rows with an error
   * @param seconds real time it took
   * @param csv the CSV file
   * @param jsonl the JSON lines file
   */
  public record Summary(long configurations, long errors, double seconds, Path csv, Path jsonl) {

    /** Returns configurations per second of real time. */
    public double perSecond() {
      return seconds <= 0 ? 0 : configurations / seconds;
    }
  }

  private final ScenarioLimits limits;
  private final VmSettings settings;
  private final String version;

  /**
   * Creates a runner.
   *
   * @param version the cvmsim version written into the headers
   */
  public SweepRunner(ScenarioLimits limits, VmSettings settings, String version) {
    this.limits = limits;
    this.settings = settings;
    this.version = version;
  }

  /**
   * Runs {@code shard} of {@code sweep} ({@code null}: the whole sweep as one table) and writes its
   * files into {@code out}. The files appear only when complete (CSV first, then JSON lines).
   */
  public Summary run(Sweep sweep, Shard shard, Path out, JobContext ctx) throws IOException {
    JobContext context = ctx == null ? ScenarioRunner.NO_JOB : ctx;
    long total = sweep.size();
    Shard s = shard == null ? Shard.ALL : shard;
    long rows = s.size(total);
    SweepFiles.Meta meta =
        new SweepFiles.Meta(sweep.name(), sweep.sha256(), version, total, sweep.columns());
    Files.createDirectories(out);
    Path csv =
        out.resolve(
            shard == null
                ? SweepFiles.tableCsv(sweep.name())
                : SweepFiles.shardCsv(sweep.name(), s));
    Path jsonl =
        out.resolve(
            shard == null
                ? SweepFiles.tableJsonl(sweep.name())
                : SweepFiles.shardJsonl(sweep.name(), s));
    Path csvTmp = Files.createTempFile(out, "." + csv.getFileName(), ".tmp");
    Path jsonTmp = Files.createTempFile(out, "." + jsonl.getFileName(), ".tmp");
    VmRegistry registry =
        new VmRegistry(
            new VmLimits(limits.maxVms(), limits.maxMemoryPerVm(), limits.maxTotalMemory()),
            settings);
    long t0 = System.nanoTime();
    long lastLog = t0;
    long done = 0;
    long errors = 0;
    try (BufferedWriter c = Files.newBufferedWriter(csvTmp, StandardCharsets.UTF_8);
        BufferedWriter j = Files.newBufferedWriter(jsonTmp, StandardCharsets.UTF_8)) {
      c.write(SweepFiles.csvHeader(meta, shard, rows));
      j.write(SweepFiles.jsonHeader(meta, shard, rows));
      List<String> columns = sweep.columns();
      for (long k = s.index(); k < total; k += s.count()) {
        context.checkCancelled();
        List<Object> cells = row(sweep, sweep.configuration(k), registry, context);
        if (cells.get(cells.size() - 1) != null) {
          errors++;
          if (errors <= 10) {
            log.warn("configuration {}: {}", k, cells.get(cells.size() - 1));
          }
        }
        c.write(SweepFiles.csvRow(cells));
        j.write(SweepFiles.jsonRow(columns, cells));
        done++;
        context.progress((double) done / Math.max(1, rows));
        long now = System.nanoTime();
        if (now - lastLog > 10_000_000_000L) {
          lastLog = now;
          log.info(
              "sweep {} shard {}: {}/{} configurations, {}/s",
              sweep.name(),
              s,
              done,
              rows,
              String.format(Locale.ROOT, "%.2f", done / ((now - t0) / 1e9)));
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(csvTmp);
      Files.deleteIfExists(jsonTmp);
      throw e;
    }
    Files.move(csvTmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(jsonTmp, jsonl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (errors > 10) {
      log.warn("{} configurations in all could not run; see the error column", errors);
    }
    return new Summary(done, errors, seconds, csv, jsonl);
  }

  /** Runs one configuration and returns its cells (keys, measures, error). */
  List<Object> row(Sweep sweep, Sweep.Configuration config, VmRegistry registry, JobContext ctx) {
    List<Object> cells = new ArrayList<>(config.keys());
    List<Object> measures = new ArrayList<>();
    String error = null;
    GuestVm guest = null;
    try {
      guest = registry.create(config.spec(sweep.guest()));
      Map<String, BigDecimal> workload = Map.of();
      if (config.workload() != null) {
        Workload w =
            config
                .workload()
                .type()
                .create(
                    new WorkloadParams(config.workload().withSeed(config.seed())), config.seed());
        workload = StepFields.of(w.run(guest, ctx));
      }
      ConfigProbe probe = new ConfigProbe(guest, workload);
      for (Sweep.Measure m : sweep.measures()) {
        try {
          measures.add(m.expr().number(probe));
        } catch (EvalException e) {
          error = "measure " + m.name() + ": " + e.getMessage();
          break;
        }
      }
    } catch (SimulatorException e) {
      error = e.getMessage();
    } finally {
      if (guest != null) {
        registry.delete(guest.id());
      }
    }
    if (error != null) {
      measures.clear();
    }
    for (int i = 0; i < sweep.measures().size(); i++) {
      cells.add(i < measures.size() ? measures.get(i) : null);
    }
    cells.add(error);
    return cells;
  }

  /** Reads one configuration's guest and workload result. */
  private static final class ConfigProbe implements Probe {
    private final GuestVm guest;
    private final Map<String, BigDecimal> workload;
    private MemorySnapshot memory;

    ConfigProbe(GuestVm guest, Map<String, BigDecimal> workload) {
      this.guest = guest;
      this.workload = workload;
    }

    @Override
    public MemorySnapshot memory(String vm) {
      if (memory == null) {
        memory = guest.memory();
      }
      return memory;
    }

    @Override
    public VmViews.Host host(String vm) {
      return guest.host();
    }

    @Override
    public VmViews.Boot boot(String vm) {
      return guest.bootTimeline();
    }

    @Override
    public VmViews.Table table(String vm) {
      return guest.unacceptedTable();
    }

    @Override
    public Map<String, BigDecimal> step(String id) {
      return workload;
    }

    @Override
    public Views snapshot(String label) {
      throw new EvalException("sweeps record no snapshots");
    }
  }
}
