package io.cvmsim.core.validation;

import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.TraceReader;
import io.cvmsim.core.workload.TraceReplayer;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares cvmsim with a recorded kernel, stage by stage.
 *
 * <ol>
 *   <li><b>boot</b>: the guest {@link RecordedGuest} builds, just booted, against the recording's
 *       boot files: managed pages, watermarks, protection and per-cpu high and batch per zone,
 *       MemTotal and MemFree.
 *   <li><b>start</b>: the kernel held memory before tracing began (its own allocations since boot,
 *       the trace ring buffer among them), so the guest first holds as many pages per zone, split
 *       over movable, reclaimable and unmovable memory as the kernel's counters split it; the state
 *       is then compared with the recording's phases/00-start.
 *   <li><b>each phase</b>: the recorded trace is replayed ({@link TraceReplayer}) up to the phase's
 *       end marker and the guest is compared with the files the kernel wrote there: free pages, the
 *       distribution of free pages over orders and over orders and migrate types, pageblocks per
 *       migrate type, the extfrag events of the phase (all, claiming, per fallback pair), pages on
 *       per-cpu lists, kswapd wake-ups.
 * </ol>
 *
 * The guest is private to the comparison and discarded at the end.
 */
public final class KernelComparison {

  private static final String[] TYPES = {"Unmovable", "Movable", "Reclaimable", "HighAtomic"};

  private KernelComparison() {}

  /**
   * One stage compared.
   *
   * @param name "boot", "start", or the phase's name
   * @param measures every number compared, in a fixed order
   */
  public record Stage(String name, List<Measure> measures) {

    /** Returns the measure of this name, or null. */
    public Measure measure(String name) {
      for (Measure m : measures) {
        if (m.name().equals(name)) {
          return m;
        }
      }
      return null;
    }
  }

  /**
   * A whole comparison.
   *
   * @param recording the recording's name
   * @param kernelRelease the recorded kernel (uname -r)
   * @param model the cvmsim kernel model compared with it
   * @param memoryBytes the guest's RAM
   * @param stages boot, then (for a workload) start and every phase
   * @param replay what the replay did: its {@link TraceReplayer.Counts} and the held pages
   */
  public record Result(
      String recording,
      String kernelRelease,
      String model,
      long memoryBytes,
      List<Stage> stages,
      Map<String, Long> replay) {

    /** Returns the stage of this name, or null. */
    public Stage stage(String name) {
      for (Stage s : stages) {
        if (s.name().equals(name)) {
          return s;
        }
      }
      return null;
    }
  }

  /** Runs the comparison of {@code r}, building its guest with {@code settings}. */
  public static Result run(KernelRecording r, VmSettings settings, JobContext ctx) {
    VmSpec spec = RecordedGuest.spec(r);
    GuestVm vm = GuestVm.create("comparison", spec, RecordedGuest.settings(r, settings));
    List<Stage> stages = new ArrayList<>();
    Views kernelBoot = Views.ofFiles(r.boot());
    Views simBoot = Views.ofSnapshot(vm.memory());
    stages.add(new Stage("boot", bootMeasures(kernelBoot, simBoot)));
    Map<String, Long> replay = new LinkedHashMap<>();
    if (r.hasWorkload()) {
      Views kernelStart = Views.ofFiles(r.start());
      TraceReplayer replayer = new TraceReplayer(vm);
      // kswapd slept when tracing began; from here its runs, and reclaim, are the trace's
      replayer.kswapdSleep(0);
      replay.put("heldPages", hold(vm, replayer, kernelStart));
      MemorySnapshot start = vm.memory();
      Views simStart = Views.ofSnapshot(start);
      stages.add(
          new Stage("start", stateMeasures(kernelStart, simStart, new Span(), start, start)));
      Replay visitor = new Replay(r, vm, replayer, start, stages, ctx);
      visitor.previousKernel = kernelStart;
      visitor.previousSim = simStart;
      try (Reader in = r.trace().open()) {
        TraceReader.read(in, visitor);
      } catch (IOException e) {
        throw new UncheckedIOException("reading the trace of " + r.name(), e);
      }
      visitor.replayer.flush();
      TraceReplayer.Counts c = visitor.replayer.counts();
      replay.put("allocations", c.allocations());
      replay.put("failures", c.failures());
      replay.put("frees", c.frees());
      replay.put("freedFromHeld", c.freedFromHeld());
      replay.put("unmatchedFrees", c.unmatchedFrees());
      replay.put("freesOfFailed", c.freesOfFailed());
      replay.put("stillAllocated", c.stillAllocated());
      if (visitor.phase < r.phases().size()) {
        throw new IllegalArgumentException(
            r.name()
                + ": the trace ends after "
                + visitor.phase
                + " of "
                + r.phases().size()
                + " phases");
      }
    }
    vm.delete();
    return new Result(
        r.name(), r.kernelRelease(), r.model(), r.memoryBytes(), List.copyOf(stages), replay);
  }

  // ------------------------------------------------------------------ the state at the first event

  /**
   * Makes the guest hold, zone by zone from the highest, the pages it has free beyond what the
   * kernel had free when tracing began; returns the pages held.
   */
  private static long hold(GuestVm vm, TraceReplayer holder, Views kernelStart) {
    Map<String, Long> vmstat = kernelStart.vmstat();
    double movable =
        vmstat.getOrDefault("nr_anon_pages", 0L) + vmstat.getOrDefault("nr_file_pages", 0L);
    double reclaimable = vmstat.getOrDefault("nr_slab_reclaimable", 0L);
    double total = 0;
    for (KernelFiles.Zone z : kernelStart.zones()) {
      total += z.managed() - z.pagesFree();
    }
    double movableShare = total == 0 ? 0 : Math.min(1, movable / total);
    double reclaimableShare = total == 0 ? 0 : Math.min(1 - movableShare, reclaimable / total);
    long held = 0;
    List<String> zones = kernelStart.populatedZones();
    for (int i = zones.size() - 1; i >= 0; i--) {
      String name = zones.get(i);
      boolean highest = i == zones.size() - 1;
      long deficit = simFree(vm, name) - kernelStart.zone(name).pagesFree();
      if (deficit <= 0) {
        continue;
      }
      if (highest) {
        long m = Math.round(deficit * movableShare);
        long rc = Math.round(deficit * reclaimableShare);
        held += holder.hold(Gfp.GFP_HIGHUSER_MOVABLE, m);
        held += holder.hold(Gfp.GFP_KERNEL_RECLAIMABLE, rc);
        held +=
            holder.hold(
                Gfp.GFP_KERNEL,
                Math.max(0, simFree(vm, name) - kernelStart.zone(name).pagesFree()));
      } else {
        held += holder.hold(name.equals("DMA") ? Gfp.GFP_DMA : Gfp.GFP_DMA32, deficit);
      }
    }
    return held;
  }

  private static long simFree(GuestVm vm, String zone) {
    for (var z : vm.memory().zones()) {
      if (z.name().equals(zone)) {
        return z.freePages();
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ the replay

  /** What the kernel's trace said about one span between two stages. */
  static final class Span {
    long extfrag;
    long extfragClaiming;
    final long[][] extfragPairs = new long[MigrateType.COUNT][MigrateType.COUNT];
    long kswapdWakes;
    long compactions;
    long directReclaims;
    long zoneLocked;
    long pcpuDrain;
  }

  /**
   * The vmstat event counters the model keeps, compared by how much each grew over a phase (the
   * kernel's between its snapshots, cvmsim's between the same markers of the replay). Counters
   * cvmsim prints but never moves are left out: their distance would measure a missing mechanism,
   * which the stage's other measures already show. The compaction counters are the exception: the
   * replay leaves compaction to the trace (it carries the kernel's migrations, {@link
   * TraceReplayer}), so cvmsim's side stays 0 by design and the measure shows how much the kernel
   * compacted in the phase.
   */
  static final List<String> KEPT_VMSTAT =
      List.of(
          "pgalloc_dma",
          "pgalloc_dma32",
          "pgalloc_normal",
          "pgfree",
          "pageoutrun",
          "pgmigrate_success",
          "compact_migrate_scanned",
          "compact_free_scanned",
          "compact_isolated",
          "compact_stall",
          "compact_fail",
          "compact_success",
          "compact_daemon_wake",
          "compact_daemon_migrate_scanned",
          "compact_daemon_free_scanned");

  /** Feeds the trace to the replayer and compares at every phase's end marker. */
  private static final class Replay implements TraceReader.Visitor {
    final KernelRecording r;
    final GuestVm vm;
    final TraceReplayer replayer;
    final List<Stage> stages;
    final JobContext ctx;
    MemorySnapshot previous;
    Views previousKernel;
    Views previousSim;
    Span span = new Span();
    int phase;
    long events;

    Replay(
        KernelRecording r,
        GuestVm vm,
        TraceReplayer replayer,
        MemorySnapshot start,
        List<Stage> stages,
        JobContext ctx) {
      this.r = r;
      this.vm = vm;
      this.replayer = replayer;
      this.previous = start;
      this.stages = stages;
      this.ctx = ctx;
    }

    @Override
    public void marker(String name, boolean begin) {
      if (begin) {
        return;
      }
      if (phase >= r.phases().size() || !r.phases().get(phase).name().equals(name)) {
        throw new IllegalArgumentException(
            r.name() + ": the trace ends phase '" + name + "' where recording.json has another");
      }
      replayer.flush();
      MemorySnapshot now = vm.memory();
      Views kernel = Views.ofFiles(r.phases().get(phase).views());
      Views sim = Views.ofSnapshot(now);
      List<Measure> measures = stateMeasures(kernel, sim, span, previous, now);
      measures.addAll(
          eventMeasures(
              span,
              now.zoneLocked() - previous.zoneLocked(),
              now.pcpDrains() - previous.pcpDrains()));
      measures.addAll(vmstatMeasures(previousKernel, kernel, previousSim, sim));
      stages.add(new Stage(name, measures));
      previous = now;
      previousKernel = kernel;
      previousSim = sim;
      span = new Span();
      phase++;
      if (ctx != null) {
        ctx.checkCancelled();
        ctx.progress((double) phase / Math.max(1, r.phases().size()));
      }
    }

    @Override
    public void alloc(int cpu, long pfn, int order, Gfp gfp, int migratetype) {
      replayer.alloc(cpu, pfn, order, gfp);
    }

    @Override
    public void free(int cpu, long pfn, int order) {
      replayer.free(cpu, pfn, order);
    }

    @Override
    public void zoneLocked(int cpu, long pfn, int order, int migratetype, boolean percpuRefill) {
      span.zoneLocked++;
    }

    @Override
    public void pcpuDrain(int cpu, long pfn, int order, int migratetype) {
      span.pcpuDrain++;
    }

    @Override
    public void extfrag(
        int cpu,
        long pfn,
        int allocOrder,
        int fallbackOrder,
        int allocMigratetype,
        int fallbackMigratetype,
        boolean changeOwnership) {
      span.extfrag++;
      if (changeOwnership) {
        span.extfragClaiming++;
      }
      if (allocMigratetype < MigrateType.COUNT && fallbackMigratetype < MigrateType.COUNT) {
        span.extfragPairs[allocMigratetype][fallbackMigratetype]++;
      }
    }

    @Override
    public void other(int cpu, String event, String text) {
      switch (event) {
        case "mm_vmscan_kswapd_wake" -> {
          span.kswapdWakes++;
          replayer.kswapdWake(cpu);
        }
        case "mm_vmscan_kswapd_sleep" -> replayer.kswapdSleep(cpu);
        case "mm_compaction_begin" -> span.compactions++;
        case "mm_vmscan_direct_reclaim_begin" -> span.directReclaims++;
        default -> {}
      }
    }
  }

  // ------------------------------------------------------------------ measures

  static List<Measure> bootMeasures(Views k, Views s) {
    List<Measure> out = new ArrayList<>();
    for (String name : k.populatedZones()) {
      KernelFiles.Zone kz = k.zone(name);
      KernelFiles.Zone sz = s.zone(name);
      if (sz == null) {
        out.add(Measure.count("managed " + name, kz.managed(), 0));
        continue;
      }
      out.add(Measure.count("managed " + name, kz.managed(), sz.managed()));
      out.add(Measure.count("min " + name, kz.min(), sz.min()));
      out.add(Measure.count("low " + name, kz.low(), sz.low()));
      out.add(Measure.count("high " + name, kz.high(), sz.high()));
      if (kz.promo() >= 0) {
        out.add(Measure.count("promo " + name, kz.promo(), Math.max(0, sz.promo())));
      }
      for (int j = 0; j < kz.protection().length && j < sz.protection().length; j++) {
        if (kz.protection()[j] != 0 || sz.protection()[j] != 0) {
          out.add(
              Measure.count(
                  "protection " + name + "[" + j + "]", kz.protection()[j], sz.protection()[j]));
        }
      }
      if (!kz.pagesets().isEmpty() && !sz.pagesets().isEmpty()) {
        out.add(
            Measure.count(
                "pcp high " + name, kz.pagesets().get(0).high(), sz.pagesets().get(0).high()));
        out.add(
            Measure.count(
                "pcp batch " + name, kz.pagesets().get(0).batch(), sz.pagesets().get(0).batch()));
      }
    }
    out.add(meminfo(k, s, "MemTotal"));
    out.add(meminfo(k, s, "MemFree"));
    return out;
  }

  private static Measure meminfo(Views k, Views s, String field) {
    return Measure.count(
        field + " kB", k.meminfo().getOrDefault(field, 0L), s.meminfo().getOrDefault(field, 0L));
  }

  /** The per-cpu lists' traffic over a phase: blocks taken under the zone lock, blocks drained. */
  static List<Measure> eventMeasures(Span span, long simZoneLocked, long simPcpuDrain) {
    List<Measure> out = new ArrayList<>();
    out.add(Measure.count("zone_locked events", span.zoneLocked, simZoneLocked));
    out.add(Measure.count("pcpu_drain events", span.pcpuDrain, simPcpuDrain));
    return out;
  }

  /** How much each of {@link #KEPT_VMSTAT} grew over a phase, in the kernel and in cvmsim. */
  static List<Measure> vmstatMeasures(Views kBefore, Views k, Views sBefore, Views s) {
    List<Measure> out = new ArrayList<>();
    for (String name : KEPT_VMSTAT) {
      Long kb = kBefore.vmstat().get(name);
      Long ka = k.vmstat().get(name);
      Long sb = sBefore.vmstat().get(name);
      Long sa = s.vmstat().get(name);
      if (kb == null || ka == null || sb == null || sa == null) {
        continue;
      }
      out.add(Measure.count("vmstat " + name, ka - kb, sa - sb));
    }
    return out;
  }

  static List<Measure> stateMeasures(
      Views k, Views s, Span span, MemorySnapshot before, MemorySnapshot after) {
    List<Measure> out = new ArrayList<>();
    List<String> zones = k.populatedZones();
    long kf = 0;
    long sf = 0;
    for (String z : zones) {
      kf += k.zone(z).pagesFree();
      sf += s.zone(z) == null ? 0 : s.zone(z).pagesFree();
    }
    out.add(Measure.count("free pages", kf, sf));
    out.add(Measure.tvd("order TVD", Measure.tvd(orderPages(k, zones), orderPages(s, zones))));
    out.add(
        Measure.tvd(
            "order×type TVD", Measure.tvd(orderTypePages(k, zones), orderTypePages(s, zones))));
    for (String t : TYPES) {
      out.add(Measure.count("pageblocks " + t, pageblocks(k, zones, t), pageblocks(s, zones, t)));
    }
    out.add(
        Measure.count(
            "extfrag events", span.extfrag, after.extfragTotal() - before.extfragTotal()));
    long simClaiming = 0;
    for (int a = 0; a < MigrateType.COUNT; a++) {
      for (int f = 0; f < MigrateType.COUNT; f++) {
        simClaiming += after.extfrag()[a][f][1] - before.extfrag()[a][f][1];
      }
    }
    out.add(Measure.count("extfrag claiming", span.extfragClaiming, simClaiming));
    for (int a = 0; a < 3; a++) {
      for (int f = 0; f < 3; f++) {
        if (a == f) {
          continue;
        }
        long sim =
            after.extfrag()[a][f][0]
                + after.extfrag()[a][f][1]
                - before.extfrag()[a][f][0]
                - before.extfrag()[a][f][1];
        if (span.extfragPairs[a][f] != 0 || sim != 0) {
          out.add(
              Measure.count("extfrag " + TYPES[a] + "←" + TYPES[f], span.extfragPairs[a][f], sim));
        }
      }
    }
    long kpcp = 0;
    long spcp = 0;
    for (String z : zones) {
      kpcp += k.zone(z).pcpCount();
      spcp += s.zone(z) == null ? 0 : s.zone(z).pcpCount();
    }
    out.add(Measure.count("pcp pages", kpcp, spcp));
    out.add(
        Measure.count(
            "kswapd wakes", span.kswapdWakes, after.kswapdWakeups() - before.kswapdWakeups()));
    for (String z : zones) {
      out.add(
          Measure.count(
              "free pages " + z,
              k.zone(z).pagesFree(),
              s.zone(z) == null ? 0 : s.zone(z).pagesFree()));
      out.add(
          Measure.tvd(
              "order TVD " + z, Measure.tvd(orderPages(k, List.of(z)), orderPages(s, List.of(z)))));
    }
    return out;
  }

  private static double[] orderPages(Views v, List<String> zones) {
    double[] p = new double[11];
    for (String z : zones) {
      long[] nr = v.buddyinfo().get(z);
      if (nr == null) {
        continue;
      }
      for (int o = 0; o < nr.length && o < p.length; o++) {
        p[o] += (double) (nr[o] << o);
      }
    }
    return p;
  }

  private static double[] orderTypePages(Views v, List<String> zones) {
    double[] p = new double[11 * TYPES.length];
    for (String z : zones) {
      Map<String, long[]> byType = v.pagetypeinfo().free().get(z);
      if (byType == null) {
        continue;
      }
      for (int t = 0; t < TYPES.length; t++) {
        long[] nr = byType.get(TYPES[t]);
        if (nr == null) {
          continue;
        }
        for (int o = 0; o < nr.length && o < 11; o++) {
          p[t * 11 + o] += (double) (nr[o] << o);
        }
      }
    }
    return p;
  }

  private static long pageblocks(Views v, List<String> zones, String type) {
    int t = v.pagetypeinfo().types().indexOf(type);
    if (t < 0) {
      return 0;
    }
    long n = 0;
    for (String z : zones) {
      long[] b = v.pagetypeinfo().pageblocks().get(z);
      if (b != null && t < b.length) {
        n += b[t];
      }
    }
    return n;
  }
}
