package io.cvmsim.scenario;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobCancelledException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.vm.VmViews;
import io.cvmsim.core.workload.Workload;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadResult;
import io.cvmsim.scenario.ScenarioResult.ExpectationOutcome;
import io.cvmsim.scenario.ScenarioResult.Status;
import io.cvmsim.scenario.ScenarioResult.StepOutcome;
import io.cvmsim.scenario.ScenarioResult.VmOutcome;
import io.cvmsim.scenario.expr.Comparison;
import io.cvmsim.scenario.expr.EvalException;
import io.cvmsim.scenario.expr.Probe;
import io.cvmsim.scenario.expr.StepFields;
import io.cvmsim.scenario.expr.Views;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a checked {@link Scenario} against a {@link VmRegistry}: creates its VMs (registered as
 * {@code <name>-<run id>}, so the registry's limits apply and the API and metrics show them while
 * the run lasts), runs the steps in order, evaluates expectations where they stand and at the end,
 * and deletes the VMs unless asked to keep them. A step that cannot run (the core refuses it) ends
 * the run: later steps are skipped and expectations not yet evaluated are reported as skipped.
 * Background workloads run on the run's own threads (one per VM at most), never on the job pool, so
 * a scenario cannot wait for a job queued behind itself.
 */
public final class ScenarioRunner {

  private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);
  private static final char[] ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A context that is never cancelled and ignores progress (headless runs). */
  public static final JobContext NO_JOB =
      new JobContext() {
        @Override
        public void progress(double fraction) {}

        @Override
        public boolean cancelled() {
          return Thread.currentThread().isInterrupted();
        }
      };

  private final VmRegistry registry;
  private final long defaultSeed;

  /** Creates a runner that creates its VMs in {@code registry}. */
  public ScenarioRunner(VmRegistry registry, long defaultSeed) {
    this.registry = registry;
    this.defaultSeed = defaultSeed;
  }

  /**
   * Refuses with 503 (AT_CAPACITY) when the registry has no room for the scenario's VMs right now,
   * so that a client learns it before a job is queued.
   */
  public void checkRoom(Scenario scenario) {
    long ram = 0;
    for (Scenario.Vm vm : scenario.vms()) {
      ram += vm.spec().ramBytes();
    }
    if (registry.size() + scenario.vms().size() > registry.limits().maxVms()
        || registry.totalMemory() + ram > registry.limits().maxTotalMemory()) {
      throw new SimulatorException(
          SimulatorException.Kind.AT_CAPACITY,
          null,
          "the service has no room for the scenario's "
              + scenario.vms().size()
              + " VMs ("
              + Sizes.format(ram)
              + ") now; retry when VMs have been deleted");
    }
  }

  /** Returns a new run id: 6 characters of [a-z2-9]. */
  public static String newRunId() {
    char[] c = new char[6];
    for (int i = 0; i < c.length; i++) {
      c[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
    }
    return new String(c);
  }

  /**
   * Runs the scenario.
   *
   * @param keepVms keep the VMs after the run (deleted otherwise, and always when cancelled)
   * @param ctx the job's context (progress, cancellation)
   * @throws JobCancelledException if cancelled
   */
  public ScenarioResult run(Scenario scenario, String runId, boolean keepVms, JobContext ctx) {
    return new Run(scenario, runId, keepVms, ctx).run();
  }

  /** One run's state. */
  private final class Run implements Probe {
    private final Scenario scenario;
    private final String runId;
    private final boolean keepVms;
    private final JobContext ctx;
    private final Map<String, GuestVm> guests = new LinkedHashMap<>();
    private final Map<String, Map<String, BigDecimal>> stepValues = new HashMap<>();
    private final Map<String, Set<Long>> livePfns = new HashMap<>();
    private final Map<String, Views> snapshots = new HashMap<>();
    private final Map<String, Future<WorkloadResult>> background = new LinkedHashMap<>();
    private final AtomicBoolean stopBackground = new AtomicBoolean();
    private final List<VmOutcome> vms = new ArrayList<>();
    private final List<StepOutcome> steps = new ArrayList<>();
    private final List<ExpectationOutcome> expectations = new ArrayList<>();
    private ExecutorService pool;
    private String stopReason;
    private int done;

    Run(Scenario scenario, String runId, boolean keepVms, JobContext ctx) {
      this.scenario = scenario;
      this.runId = runId;
      this.keepVms = keepVms;
      this.ctx = ctx == null ? NO_JOB : ctx;
    }

    ScenarioResult run() {
      boolean cancelled = false;
      try {
        createVms();
        for (Scenario.Step step : scenario.steps()) {
          if (stopReason != null) {
            steps.add(skipped(step));
            if (step instanceof Scenario.Expect e) {
              for (Scenario.Expectation x : e.expectations()) {
                expectations.add(notEvaluated(x, e.number()));
              }
            }
            continue;
          }
          ctx.checkCancelled();
          steps.add(execute(step));
          progress();
        }
        if (stopReason == null) {
          String waited = awaitAll(List.copyOf(background.keySet()));
          if (waited != null) {
            stopReason = waited;
          }
        }
        for (Scenario.Expectation x : scenario.expectations()) {
          expectations.add(stopReason == null ? evaluate(x, null) : notEvaluated(x, null));
        }
      } catch (JobCancelledException e) {
        cancelled = true;
        throw e;
      } finally {
        stopBackground.set(true);
        if (pool != null) {
          pool.shutdownNow();
        }
        if (!keepVms || cancelled) {
          deleteVms();
        }
      }
      return result();
    }

    private void progress() {
      done++;
      ctx.progress((double) done / (scenario.vms().size() + scenario.steps().size() + 1));
    }

    private ScenarioResult result() {
      int passed = 0;
      int failed = 0;
      int errored = 0;
      for (ExpectationOutcome e : expectations) {
        switch (e.status()) {
          case PASSED -> passed++;
          case FAILED -> failed++;
          default -> errored++;
        }
      }
      boolean ok = stopReason == null && failed == 0 && errored == 0;
      return new ScenarioResult(
          scenario.name(),
          scenario.description(),
          runId,
          ok,
          passed,
          failed,
          errored,
          keepVms,
          List.copyOf(vms),
          List.copyOf(steps),
          List.copyOf(expectations));
    }

    // ---------------------------------------------------------------- VMs

    private void createVms() {
      for (Scenario.Vm vm : scenario.vms()) {
        String name = vm.name() + "-" + runId;
        if (stopReason != null) {
          vms.add(new VmOutcome(vm.name(), null, name, Status.SKIPPED, null));
          continue;
        }
        ctx.checkCancelled();
        VmSpec s = vm.spec();
        VmSpec named =
            new VmSpec(
                name,
                s.platform(),
                s.kernel(),
                s.acceptPolicy(),
                s.memoryBytes(),
                s.efiMemoryMap(),
                s.firmwareAcceptedBytes(),
                s.vcpus(),
                s.bootTo(),
                s.hostPageSize(),
                s.khugepaged());
        try {
          GuestVm g = registry.create(named);
          guests.put(vm.name(), g);
          vms.add(new VmOutcome(vm.name(), g.id(), name, Status.PASSED, null));
        } catch (SimulatorException e) {
          vms.add(new VmOutcome(vm.name(), null, name, Status.ERROR, e.getMessage()));
          stopReason = "VM " + vm.name() + " could not be created: " + e.getMessage();
        }
        progress();
      }
    }

    private void deleteVms() {
      for (GuestVm g : guests.values()) {
        try {
          registry.delete(g.id());
        } catch (SimulatorException e) {
          log.debug("VM {} was already gone: {}", g.id(), e.getMessage());
        }
      }
    }

    private GuestVm guest(String vm) {
      GuestVm g = guests.get(vm);
      if (g == null) {
        throw SimulatorException.notFound("VM " + vm + " was not created");
      }
      return g;
    }

    // ---------------------------------------------------------------- steps

    private StepOutcome skipped(Scenario.Step step) {
      return new StepOutcome(
          step.number(),
          step.kind(),
          step.id(),
          step.vm(),
          step.mark().line(),
          Status.SKIPPED,
          "not run: " + stopReason,
          Map.of(),
          0);
    }

    private StepOutcome execute(Scenario.Step step) {
      long t0 = System.nanoTime();
      Map<String, BigDecimal> values = Map.of();
      Status status = Status.PASSED;
      String message = null;
      try {
        if (step instanceof Scenario.Expect e) {
          for (Scenario.Expectation x : e.expectations()) {
            ExpectationOutcome o = evaluate(x, e.number());
            expectations.add(o);
            if (o.status() != Status.PASSED) {
              status = Status.FAILED;
            }
          }
          if (status == Status.FAILED) {
            message = "an expectation did not pass";
          }
        } else {
          values = run(step);
        }
      } catch (SimulatorException e) {
        status = Status.ERROR;
        message = e.getMessage();
        stopReason = "step " + step.number() + " (" + step.kind() + ") could not run: " + message;
      }
      if (step.id() != null) {
        stepValues.put(step.id(), values);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      return new StepOutcome(
          step.number(),
          step.kind(),
          step.id(),
          step.vm(),
          step.mark().line(),
          status,
          message,
          values,
          millis);
    }

    private Map<String, BigDecimal> run(Scenario.Step step) {
      if (step instanceof Scenario.Boot b) {
        guest(b.vm()).bootToKernel();
        return Map.of();
      }
      if (step instanceof Scenario.Allocate a) {
        VmViews.Batch r = guest(a.vm()).allocate(a.gfp(), a.order(), a.count());
        if (a.id() != null) {
          Set<Long> live = new HashSet<>();
          for (long pfn : r.pfns()) {
            live.add(pfn);
          }
          livePfns.put(a.id(), live);
        }
        return values("allocated", r.pfns().length, "failed", r.failed());
      }
      if (step instanceof Scenario.Free f) {
        long[] pfns = f.pfns();
        if (pfns == null) {
          Set<Long> live = livePfns.getOrDefault(f.fromStep(), Set.of());
          pfns = live.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        int freed = pfns.length == 0 ? 0 : guest(f.vm()).free(pfns);
        for (Set<Long> live : livePfns.values()) {
          for (long p : pfns) {
            live.remove(p);
          }
        }
        return values("freed", freed);
      }
      if (step instanceof Scenario.Accept a) {
        VmViews.Accepted r = guest(a.vm()).accept(a.start(), a.end());
        long bytes = 0;
        for (var x : r.accepted()) {
          bytes += x.end() - x.start();
        }
        Map<String, BigDecimal> v = new LinkedHashMap<>();
        v.put("calls", BigDecimal.valueOf(r.accepted().size()));
        v.put("acceptedBytes", BigDecimal.valueOf(bytes));
        v.put("unacceptedBytes", BigDecimal.valueOf(r.unacceptedBytes()));
        return v;
      }
      if (step instanceof Scenario.RunWorkload w) {
        return workload(w);
      }
      if (step instanceof Scenario.Snapshot s) {
        snapshots.put(s.label(), record(s.label(), s.vm()));
        return Map.of();
      }
      Scenario.Wait w = (Scenario.Wait) step;
      String failure = awaitAll(w.steps().isEmpty() ? List.copyOf(background.keySet()) : w.steps());
      if (failure != null) {
        throw SimulatorException.conflict(failure);
      }
      return Map.of();
    }

    private Map<String, BigDecimal> workload(Scenario.RunWorkload w) {
      GuestVm g = guest(w.vm());
      Workload workload = w.type().create(new WorkloadParams(w.parameters()), defaultSeed);
      if (!w.background()) {
        return StepFields.of(workload.run(g, inner()));
      }
      if (pool == null) {
        AtomicInteger n = new AtomicInteger();
        pool =
            Executors.newFixedThreadPool(
                Math.max(1, Math.min(8, scenario.vms().size())),
                r -> {
                  Thread t = new Thread(r, "cvmsim-scenario-" + runId + "-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
      }
      JobContext inner = inner();
      background.put(w.id(), pool.submit(() -> workload.run(g, inner)));
      return Map.of();
    }

    private JobContext inner() {
      return new JobContext() {
        @Override
        public void progress(double fraction) {}

        @Override
        public boolean cancelled() {
          return stopBackground.get() || ctx.cancelled();
        }
      };
    }

    /** Waits for background workloads; returns null, or why one of them did not finish. */
    private String awaitAll(List<String> ids) {
      for (String id : ids) {
        Future<WorkloadResult> f = background.get(id);
        if (f == null || stepValues.containsKey(id) && !stepValues.get(id).isEmpty()) {
          continue;
        }
        while (true) {
          ctx.checkCancelled();
          try {
            stepValues.put(id, StepFields.of(f.get(200, TimeUnit.MILLISECONDS)));
            break;
          } catch (TimeoutException e) {
            // still running: check for cancellation and wait on
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelledException();
          } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return "background workload " + id + " failed: " + c.getMessage();
          }
        }
      }
      return null;
    }

    private Views record(String label, String vm) {
      MemorySnapshot m = guest(vm).memory();
      Map<String, String> texts = new LinkedHashMap<>();
      texts.put("meminfo", ProcFormat.meminfo(m));
      texts.put("buddyinfo", ProcFormat.buddyinfo(m));
      texts.put("zoneinfo", ProcFormat.zoneinfo(m));
      texts.put("vmstat", ProcFormat.vmstat(m));
      return new Views(label, vm, texts);
    }

    private static Map<String, BigDecimal> values(Object... pairs) {
      Map<String, BigDecimal> v = new LinkedHashMap<>();
      for (int i = 0; i < pairs.length; i += 2) {
        v.put((String) pairs[i], BigDecimal.valueOf(((Number) pairs[i + 1]).longValue()));
      }
      return v;
    }

    // ---------------------------------------------------------------- expectations

    private ExpectationOutcome evaluate(Scenario.Expectation x, Integer step) {
      long t0 = System.nanoTime();
      Comparison c = x.comparison();
      try {
        Comparison.Outcome o = c.evaluate(this);
        return new ExpectationOutcome(
            x.name(),
            c.text(),
            x.mark().line(),
            x.mark().column(),
            step,
            o.passed() ? Status.PASSED : Status.FAILED,
            o.actual(),
            o.expected(),
            o.actualValue(),
            o.expectedValue(),
            o.unit(),
            o.passed() ? null : failure(o),
            (System.nanoTime() - t0) / 1_000_000);
      } catch (EvalException e) {
        return new ExpectationOutcome(
            x.name(),
            c.text(),
            x.mark().line(),
            x.mark().column(),
            step,
            Status.ERROR,
            null,
            null,
            null,
            null,
            null,
            "could not be evaluated: " + e.getMessage(),
            (System.nanoTime() - t0) / 1_000_000);
      }
    }

    private static String failure(Comparison.Outcome o) {
      String s = "expected " + o.expected() + ", got " + o.actual();
      return o.detail() != null ? s + " (" + o.detail() + ")" : s;
    }

    private ExpectationOutcome notEvaluated(Scenario.Expectation x, Integer step) {
      return new ExpectationOutcome(
          x.name(),
          x.comparison().text(),
          x.mark().line(),
          x.mark().column(),
          step,
          Status.SKIPPED,
          null,
          null,
          null,
          null,
          null,
          "not evaluated: " + stopReason,
          0);
    }

    // ---------------------------------------------------------------- the probe

    private <T> T read(Supplier<T> s) {
      try {
        return s.get();
      } catch (SimulatorException e) {
        throw new EvalException(e.getMessage());
      }
    }

    @Override
    public MemorySnapshot memory(String vm) {
      return read(() -> guest(vm).memory());
    }

    @Override
    public VmViews.Host host(String vm) {
      return read(() -> guest(vm).host());
    }

    @Override
    public VmViews.Boot boot(String vm) {
      return read(() -> guest(vm).bootTimeline());
    }

    @Override
    public VmViews.Table table(String vm) {
      return read(() -> guest(vm).unacceptedTable());
    }

    @Override
    public Map<String, BigDecimal> step(String id) {
      Map<String, BigDecimal> v = stepValues.get(id);
      if (v == null || v.isEmpty() && background.containsKey(id)) {
        throw new EvalException(
            background.containsKey(id)
                ? "the background workload " + id + " has not been waited for"
                : "step " + id + " has not run");
      }
      return v;
    }

    @Override
    public Views snapshot(String label) {
      Views v = snapshots.get(label);
      if (v == null) {
        throw new EvalException("no snapshot labelled " + label + " was recorded");
      }
      return v;
    }
  }
}
