package io.cvmsim.bench;

import io.cvmsim.core.experiment.BootTimeExperiment;
import io.cvmsim.core.experiment.FragmentationExperiment;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the full-size experiment tables that README.md and BENCHMARKS.md quote: the boot-time grid
 * and the v9 fragmentation study (16 GiB, 8 builds × 16 jobs, three seeds, both kernel models), as
 * Markdown.
 *
 * <p>Run: {@code ./mvnw -Pjmh test-compile exec:exec -Dbench.main=io.cvmsim.bench.Reports
 * -Djmh.args="all"} (or {@code boot-time}, {@code fragmentation}, {@code snapshots}).
 */
public final class Reports {

  private Reports() {}

  /** Runs the reports named in the arguments. */
  public static void main(String[] args) {
    String what = args.length == 0 ? "all" : args[0];
    if (what.equals("all") || what.equals("boot-time")) {
      bootTime();
    }
    if (what.equals("all") || what.equals("footprint")) {
      footprint();
    }
    if (what.equals("all") || what.equals("published")) {
      published();
    }
    if (what.equals("all") || what.equals("fragmentation")) {
      fragmentation();
    }
    if (what.equals("all") || what.equals("snapshots")) {
      snapshots();
    }
  }

  /**
   * Snapshots: size (compressed and inflated) and the time to export and to import, the median of
   * 15 runs after 10 of warm-up, for a booted lazy 1 TiB guest, a 64 GiB one, and 16 GiB guests
   * after a kernel-build workload (8 jobs, 1 M events, seed 42) with each kernel model's rules.
   */
  static void snapshots() {
    System.out.println("## Snapshots\n");
    System.out.println(
        "| guest | live allocations | free blocks | snapshot | inflated | export (ms) | import"
            + " (ms) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    record Guest(String label, long bytes, String kernel, boolean build) {}
    List<Guest> guests =
        List.of(
            new Guest("1 TiB lazy, booted", Sizes.TIB, "6.5", false),
            new Guest("64 GiB lazy, booted", 64 * Sizes.GIB, "6.5", false),
            new Guest("16 GiB lazy, after kernel-build, 6.5", 16 * Sizes.GIB, "6.5", true),
            new Guest(
                "16 GiB lazy, after kernel-build, mainline", 16 * Sizes.GIB, "mainline", true));
    for (Guest g : guests) {
      var vm =
          io.cvmsim.core.vm.GuestVm.create(
              "bench",
              new io.cvmsim.core.vm.VmSpec(
                  null,
                  Platform.TDX,
                  g.kernel(),
                  AcceptPolicy.LAZY,
                  g.bytes(),
                  null,
                  null,
                  4,
                  io.cvmsim.core.vm.BootStage.KERNEL,
                  null,
                  false),
              VmSettings.DEFAULTS);
      if (g.build()) {
        io.cvmsim.core.workload.WorkloadType.ofLabel("kernel-build")
            .create(
                new io.cvmsim.core.workload.WorkloadParams(
                    Map.of("parallelism", 8L, "events", 1_000_000L, "seed", 42L)),
                42)
            .run(vm, NO_JOB);
      }
      byte[] snapshot = vm.snapshot();
      long[] exportNanos = new long[25];
      long[] importNanos = new long[25];
      for (int i = 0; i < exportNanos.length; i++) {
        long t0 = System.nanoTime();
        snapshot = vm.snapshot();
        long t1 = System.nanoTime();
        new io.cvmsim.core.vm.VmRegistry(io.cvmsim.core.vm.VmLimits.DEFAULTS, VmSettings.DEFAULTS)
            .restore(snapshot, null, false);
        long t2 = System.nanoTime();
        exportNanos[i] = t1 - t0;
        importNanos[i] = t2 - t1;
      }
      long inflated =
          ((long) (snapshot[12] & 0xFF) << 56)
              | ((long) (snapshot[13] & 0xFF) << 48)
              | ((long) (snapshot[14] & 0xFF) << 40)
              | ((long) (snapshot[15] & 0xFF) << 32)
              | ((long) (snapshot[16] & 0xFF) << 24)
              | ((snapshot[17] & 0xFF) << 16)
              | ((snapshot[18] & 0xFF) << 8)
              | (snapshot[19] & 0xFF);
      long[] free = {0};
      var mem = vm.memory();
      for (var z : mem.zones()) {
        for (long n : z.nrFree()) {
          free[0] += n;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %,d | %s | %s | %.2f | %.2f |%n",
          g.label(),
          mem.liveAllocations(),
          free[0],
          size(snapshot.length),
          size(inflated),
          median(exportNanos) / 1e6,
          median(importNanos) / 1e6);
    }
    System.out.println();
  }

  private static final JobContext NO_JOB =
      new JobContext() {
        @Override
        public void progress(double fraction) {}

        @Override
        public boolean cancelled() {
          return false;
        }
      };

  private static String size(long bytes) {
    return bytes < Sizes.MIB
        ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
        : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) Sizes.MIB);
  }

  private static double median(long[] nanos) {
    long[] last = java.util.Arrays.copyOfRange(nanos, 10, nanos.length);
    java.util.Arrays.sort(last);
    return last[last.length / 2];
  }

  /**
   * The heap guests hold: the core's own estimate ({@code GuestVm.heapBytes()}) and the heap the
   * JVM measures after a full GC with 20 such guests alive, per guest; and the bytes per live
   * allocation when 1.5 million order-0 pages are allocated.
   */
  static void footprint() {
    System.out.println("## Heap held by a guest\n");
    System.out.println("| guest | booted to | estimate | measured (JVM, per guest of 20) |");
    System.out.println("|---|---|---:|---:|");
    VmSettings settings =
        new VmSettings(
            VmSettings.DEFAULTS.acceptCosts(),
            VmSettings.DEFAULTS.bootCosts(),
            256 * Sizes.MIB,
            100_000,
            false,
            VmSettings.DEFAULTS.maxBatches(),
            VmSettings.DEFAULTS.maxBatchBytes());
    String[] guests = {"1GiB", "64GiB", "1TiB", "4PiB-map"};
    for (String g : guests) {
      for (var stage :
          List.of(io.cvmsim.core.vm.BootStage.EFI_STUB, io.cvmsim.core.vm.BootStage.KERNEL)) {
        var spec = spec(g, stage);
        long estimate = io.cvmsim.core.vm.GuestVm.create("f", spec, settings).heapBytes();
        long before = usedAfterGc();
        var keep = new java.util.ArrayList<Object>();
        for (int i = 0; i < 20; i++) {
          keep.add(io.cvmsim.core.vm.GuestVm.create("f", spec, settings));
        }
        long measured = (usedAfterGc() - before) / keep.size();
        System.out.printf(
            Locale.ROOT, "| %s | %s | %s | %s |%n", g, stage, kib(estimate), kib(measured));
        keep.clear();
      }
    }
    var vm =
        io.cvmsim.core.vm.GuestVm.create(
            "f",
            new io.cvmsim.core.vm.VmSpec(
                null,
                Platform.TDX,
                "6.5",
                AcceptPolicy.EAGER,
                8 * Sizes.GIB,
                null,
                null,
                4,
                io.cvmsim.core.vm.BootStage.KERNEL,
                null,
                false),
            VmSettings.DEFAULTS);
    long before = usedAfterGc();
    long estimateBefore = vm.heapBytes();
    int n =
        vm.withMemory(
            m -> {
              int c = 0;
              for (int i = 0; i < 1_500_000; i++) {
                if (m.alloc(0, io.cvmsim.core.memory.Gfp.GFP_HIGHUSER_MOVABLE, 0) >= 0) {
                  c++;
                }
              }
              return c;
            });
    long measured = usedAfterGc() - before;
    System.out.printf(
        Locale.ROOT,
        "%nPer live allocation (%d order-0 pages on an 8 GiB guest): estimate %.1f bytes,"
            + " measured %.1f bytes.%n",
        n,
        (double) (vm.heapBytes() - estimateBefore) / n,
        (double) measured / n);
    vm = null;
    // the same through the API's path: 1500 requests of 1000 pages, each a batch remembered
    var batched =
        io.cvmsim.core.vm.GuestVm.create(
            "f",
            new io.cvmsim.core.vm.VmSpec(
                null,
                Platform.TDX,
                "6.5",
                AcceptPolicy.EAGER,
                8 * Sizes.GIB,
                null,
                null,
                4,
                io.cvmsim.core.vm.BootStage.KERNEL,
                null,
                false),
            VmSettings.DEFAULTS);
    before = usedAfterGc();
    estimateBefore = batched.heapBytes();
    int got = 0;
    for (int i = 0; i < 1500; i++) {
      got +=
          batched.allocate(io.cvmsim.core.memory.Gfp.GFP_HIGHUSER_MOVABLE, 0, 1000).pfns().length;
    }
    measured = usedAfterGc() - before;
    System.out.printf(
        Locale.ROOT,
        "In batches of 1000 (GuestVm.allocate, as POST /allocations does; the guest remembers the"
            + " latest %d batches): estimate %.1f bytes, measured %.1f bytes.%n%n",
        VmSettings.DEFAULTS.maxBatches(),
        (double) (batched.heapBytes() - estimateBefore) / got,
        (double) measured / got);
  }

  static io.cvmsim.core.vm.VmSpec spec(String guest, io.cvmsim.core.vm.BootStage stage) {
    if (guest.equals("4PiB-map")) {
      var map =
          io.cvmsim.core.firmware.EfiMemoryMap.of(
              List.of(
                  new io.cvmsim.core.firmware.EfiMemoryDescriptor(
                      io.cvmsim.core.firmware.EfiMemoryType.CONVENTIONAL, 0, 0xA0),
                  new io.cvmsim.core.firmware.EfiMemoryDescriptor(
                      io.cvmsim.core.firmware.EfiMemoryType.CONVENTIONAL,
                      Sizes.MIB,
                      (512 * Sizes.MIB - Sizes.MIB) / 4096),
                  new io.cvmsim.core.firmware.EfiMemoryDescriptor(
                      io.cvmsim.core.firmware.EfiMemoryType.UNACCEPTED,
                      512 * Sizes.MIB,
                      Sizes.GIB / 4096),
                  new io.cvmsim.core.firmware.EfiMemoryDescriptor(
                      io.cvmsim.core.firmware.EfiMemoryType.UNACCEPTED,
                      4 * Sizes.PIB - Sizes.GIB,
                      Sizes.GIB / 4096)));
      return new io.cvmsim.core.vm.VmSpec(
          null, Platform.TDX, "6.5", AcceptPolicy.LAZY, null, map, null, 4, stage, null, false);
    }
    return new io.cvmsim.core.vm.VmSpec(
        null,
        Platform.TDX,
        "6.5",
        AcceptPolicy.LAZY,
        Sizes.parseBytes(guest),
        null,
        null,
        4,
        stage,
        null,
        false);
  }

  static long usedAfterGc() {
    var mem = java.lang.management.ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  static String kib(long bytes) {
    return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
  }

  /** The other published points of figures.md §2, as the cost model prices them. */
  static void published() {
    var costs =
        io.cvmsim.core.accept.spi.AcceptCosts.DEFAULTS.withHostMaxPageSize(
            io.cvmsim.core.memory.PageSize.SIZE_4K);
    var tdx = new io.cvmsim.core.accept.tdx.TdxPlatform(costs);
    var boot = io.cvmsim.core.boot.BootCosts.DEFAULTS;
    double s90 =
        tdx.accept(0, 90 * Sizes.GIB, io.cvmsim.core.accept.spi.AcceptPhase.KERNEL).simulatedNanos()
            / 1e9;
    double s8 =
        tdx.accept(0, 8 * Sizes.GIB, io.cvmsim.core.accept.spi.AcceptPhase.KERNEL).simulatedNanos()
            / 1e9;
    System.out.println("## Other published points (TDX, host backing private memory at 4 KiB)\n");
    System.out.println("| point | cvmsim |");
    System.out.println("|---|---:|");
    System.out.printf(Locale.ROOT, "| accept 90 GiB, 1 vCPU | %.1f s |%n", s90);
    System.out.printf(
        Locale.ROOT,
        "| accept 90 GiB, 4 vCPUs (deferred-init parallelism) | %.1f s |%n",
        s90 / boot.parallelSpeedup(4));
    System.out.printf(Locale.ROOT, "| accept 8 GiB, 1 vCPU | %.1f s |%n", s8);
    // Dstack: a 248-vCPU, 32 GiB mainline TD accepts one chunk per allocation while watermarks are
    // 0
    var vm =
        io.cvmsim.core.vm.GuestVm.create(
            "dstack",
            new io.cvmsim.core.vm.VmSpec(
                null,
                Platform.TDX,
                "mainline",
                AcceptPolicy.LAZY,
                32 * Sizes.GIB,
                null,
                null,
                248,
                io.cvmsim.core.vm.BootStage.KERNEL,
                null,
                false),
            VmSettings.DEFAULTS);
    var early =
        vm.bootTimeline().phases().stream()
            .filter(p -> p.name().equals("early-allocations"))
            .findFirst()
            .orElseThrow();
    System.out.printf(
        Locale.ROOT,
        "| mainline, 248 vCPUs, 32 GiB: accepted while watermarks are 0 | %s |%n%n",
        Sizes.format(early.acceptedBytes() & -Sizes.MIB));
  }

  static void bootTime() {
    long t0 = System.nanoTime();
    var r =
        BootTimeExperiment.run(
            new BootTimeExperiment.Request(
                List.of(Platform.TDX, Platform.SNP),
                List.of(4 * Sizes.GIB, 16 * Sizes.GIB, 64 * Sizes.GIB, 256 * Sizes.GIB),
                List.of(AcceptPolicy.EAGER, AcceptPolicy.LAZY),
                4,
                "6.5",
                null,
                null),
            VmSettings.DEFAULTS,
            Sizes.PIB,
            null);
    System.out.println("## Boot time, 4 vCPUs, 6.5 rules, host backing private memory at 4 KiB\n");
    System.out.println(
        "| platform | memory | eager (s) | lazy (s) | eager/lazy | accepted at boot, lazy |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    for (var s : r.speedups()) {
      var eager = find(r, s.platform(), s.memory(), "EAGER");
      var lazy = find(r, s.platform(), s.memory(), "LAZY");
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.2f | %.2f | %.2f× | %s |%n",
          s.platform(),
          s.memory(),
          eager.bootSeconds(),
          lazy.bootSeconds(),
          s.eagerOverLazy(),
          Sizes.format(lazy.acceptedAtBootBytes() & -Sizes.MIB));
    }
    System.out.printf(Locale.ROOT, "%n(generated in %.1f s)%n%n", (System.nanoTime() - t0) / 1e9);
  }

  static BootTimeExperiment.Row find(BootTimeExperiment.Result r, String p, String m, String pol) {
    return r.rows().stream()
        .filter(x -> x.platform().equals(p) && x.memory().equals(m) && x.policy().equals(pol))
        .findFirst()
        .orElseThrow();
  }

  static void fragmentation() {
    JobContext quiet =
        new JobContext() {
          @Override
          public void progress(double fraction) {}

          @Override
          public boolean cancelled() {
            return false;
          }
        };
    for (String defrag : List.of("madvise", "always")) {
      System.out.println(
          "## Fragmentation, kernel-build 8 × 16 jobs, 10 M events, TDX 16 GiB, 16 vCPUs, THP defrag "
              + defrag
              + "\n");
      System.out.println(
          "| kernel | seed | lazy events | eager events | lazy fragmenting | eager fragmenting |"
              + " lazy frag.&&movable | eager frag.&&movable | lazy/eager |"
              + " compact_stall (lazy/eager) | compact_success | pgmigrate_success |"
              + " compact_daemon_wake |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (String k : defrag.equals("madvise") ? List.of("6.5", "mainline") : List.of("6.5")) {
        long t0 = System.nanoTime();
        var r =
            FragmentationExperiment.run(
                new FragmentationExperiment.Request(
                    Map.of(
                        "type",
                        "kernel-build",
                        "parallelism",
                        128L,
                        "events",
                        10_000_000L,
                        "thpDefrag",
                        defrag),
                    16 * Sizes.GIB,
                    List.of(1L, 2L, 3L),
                    Platform.TDX,
                    k,
                    16),
                VmSettings.DEFAULTS,
                Sizes.PIB,
                quiet);
        for (var run : r.runs()) {
          var cl = run.lazy().compaction();
          var ce = run.eager().compaction();
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d | %d | %d | %.2f | %d/%d | %d/%d | %d/%d | %d/%d |%n",
              k,
              run.seed(),
              run.lazy().extfragEvents(),
              run.eager().extfragEvents(),
              run.lazy().fragmenting(),
              run.eager().fragmenting(),
              run.lazy().fragmentingMovable(),
              run.eager().fragmentingMovable(),
              run.lazyOverEager(),
              cl.stall(),
              ce.stall(),
              cl.success(),
              ce.success(),
              cl.pgmigrateSuccess(),
              ce.pgmigrateSuccess(),
              cl.daemonWake(),
              ce.daemonWake());
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | mean | %.0f | %.0f | | | %.1f | %.1f | **%.2f** | | | | |%n",
            k,
            r.meanLazyEvents(),
            r.meanEagerEvents(),
            r.meanLazyFragmentingMovable(),
            r.meanEagerFragmentingMovable(),
            r.meanLazyOverEager());
        System.err.printf(
            Locale.ROOT, "%s %s done in %.1f s%n", k, defrag, (System.nanoTime() - t0) / 1e9);
      }
      System.out.println();
    }
  }
}
