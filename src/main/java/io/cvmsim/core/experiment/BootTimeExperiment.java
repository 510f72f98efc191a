package io.cvmsim.core.experiment;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.boot.BootPhase;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Boots a guest for every platform × memory size × policy and reports the simulated boot times and
 * the eager/lazy speed-ups. Guests are built, measured and dropped one at a time; they are never
 * registered.
 */
public final class BootTimeExperiment {

  /** Grids up to this many guests may run synchronously; larger ones should run as a job. */
  public static final int SYNC_LIMIT = 16;

  /** The most guests one experiment may boot. */
  public static final int MAX_CELLS = 256;

  /**
   * What to boot.
   *
   * @param platforms platforms to try
   * @param memorySizes guest sizes in bytes
   * @param policies accept policies
   * @param vcpus vCPUs of every guest
   * @param kernel the kernel model
   * @param hostPageSize the page size the host backs private memory with: 4K by default, the
   *     setting under which the published boot-time and acceptance figures were measured
   * @param firmwareAcceptedBytes what the firmware accepts, or null for the default
   */
  public record Request(
      List<Platform> platforms,
      List<Long> memorySizes,
      List<AcceptPolicy> policies,
      int vcpus,
      String kernel,
      PageSize hostPageSize,
      Long firmwareAcceptedBytes) {

    /** Checks the grid. */
    public Request {
      if (platforms == null || platforms.isEmpty()) {
        throw SimulatorException.badRequest("platforms", "give at least one platform");
      }
      if (memorySizes == null || memorySizes.isEmpty()) {
        throw SimulatorException.badRequest("memorySizes", "give at least one memory size");
      }
      if (policies == null || policies.isEmpty()) {
        policies = List.of(AcceptPolicy.EAGER, AcceptPolicy.LAZY);
      }
      if (vcpus < 1 || vcpus > VmSpec.MAX_VCPUS) {
        throw SimulatorException.badRequest("vcpus", "vcpus must be between 1 and 1024");
      }
      kernel = kernel == null ? VmSpec.DEFAULT_KERNEL : VmSpec.kernelLabel(kernel);
      if (hostPageSize == null) {
        hostPageSize = PageSize.SIZE_4K;
      }
      if ((long) platforms.size() * memorySizes.size() * policies.size() > MAX_CELLS) {
        throw SimulatorException.tooLarge(
            "memorySizes", "the grid has more than " + MAX_CELLS + " guests");
      }
      platforms = List.copyOf(platforms);
      memorySizes = List.copyOf(memorySizes);
      policies = List.copyOf(policies);
    }

    /** Returns the number of guests the grid boots. */
    public int cells() {
      return platforms.size() * memorySizes.size() * policies.size();
    }
  }

  /** One phase of one boot. */
  public record Phase(String name, double seconds, long acceptedBytes) {}

  /** One booted guest. */
  public record Row(
      String platform,
      String memory,
      long memoryBytes,
      String policy,
      double bootSeconds,
      long acceptedAtBootBytes,
      long unacceptedAfterBootBytes,
      List<Phase> phases) {}

  /** Eager boot time over lazy boot time for one platform and size. */
  public record Speedup(String platform, String memory, double eagerOverLazy) {}

  /** The whole table. */
  public record Result(List<Row> rows, List<Speedup> speedups) {}

  private BootTimeExperiment() {}

  /** Runs the grid; {@code ctx} may be null when run synchronously. */
  public static Result run(Request req, VmSettings settings, long maxMemoryPerVm, JobContext ctx) {
    for (long m : req.memorySizes()) {
      if (m > maxMemoryPerVm) {
        throw SimulatorException.tooLarge(
            "memorySizes",
            Sizes.format(m)
                + " is over cvmsim.limits.max-memory-per-vm ("
                + Sizes.format(maxMemoryPerVm)
                + ")");
      }
    }
    List<Row> rows = new ArrayList<>();
    int done = 0;
    for (Platform p : req.platforms()) {
      for (long mem : req.memorySizes()) {
        for (AcceptPolicy policy : req.policies()) {
          if (ctx != null) {
            ctx.checkCancelled();
          }
          VmSpec spec =
              new VmSpec(
                  null,
                  p,
                  req.kernel(),
                  policy,
                  mem,
                  null,
                  req.firmwareAcceptedBytes(),
                  req.vcpus(),
                  BootStage.KERNEL,
                  req.hostPageSize(),
                  VmSpec.DEFAULT_KHUGEPAGED);
          GuestVm vm = GuestVm.create("experiment", spec, settings);
          var boot = vm.bootTimeline();
          List<Phase> phases = new ArrayList<>();
          long accepted = 0;
          for (BootPhase ph : boot.phases()) {
            phases.add(new Phase(ph.name(), ph.simulatedNanos() / 1e9, ph.acceptedBytes()));
            accepted += ph.acceptedBytes();
          }
          rows.add(
              new Row(
                  p.name(),
                  Sizes.format(mem),
                  mem,
                  policy.name(),
                  boot.totalNanos() / 1e9,
                  accepted,
                  vm.summary().memory().unacceptedBytes(),
                  phases));
          done++;
          if (ctx != null) {
            ctx.progress((double) done / req.cells());
          }
        }
      }
    }
    List<Speedup> speedups = new ArrayList<>();
    for (Platform p : req.platforms()) {
      for (long mem : req.memorySizes()) {
        Row eager = find(rows, p, mem, AcceptPolicy.EAGER);
        Row lazy = find(rows, p, mem, AcceptPolicy.LAZY);
        if (eager != null && lazy != null && lazy.bootSeconds() > 0) {
          speedups.add(
              new Speedup(p.name(), Sizes.format(mem), eager.bootSeconds() / lazy.bootSeconds()));
        }
      }
    }
    return new Result(List.copyOf(rows), List.copyOf(speedups));
  }

  private static Row find(List<Row> rows, Platform p, long mem, AcceptPolicy policy) {
    for (Row r : rows) {
      if (r.platform().equals(p.name())
          && r.memoryBytes() == mem
          && r.policy().equals(policy.name())) {
        return r;
      }
    }
    return null;
  }

  /** Returns the rows as CSV with a header line. */
  public static String csv(Result result) {
    StringBuilder b =
        new StringBuilder(
            "platform,memory,memoryBytes,policy,bootSeconds,acceptedAtBootBytes,"
                + "unacceptedAfterBootBytes\n");
    for (Row r : result.rows()) {
      b.append(r.platform())
          .append(',')
          .append(r.memory())
          .append(',')
          .append(r.memoryBytes())
          .append(',')
          .append(r.policy())
          .append(',')
          .append(String.format(Locale.ROOT, "%.6f", r.bootSeconds()))
          .append(',')
          .append(r.acceptedAtBootBytes())
          .append(',')
          .append(r.unacceptedAfterBootBytes())
          .append('\n');
    }
    return b.toString();
  }
}
