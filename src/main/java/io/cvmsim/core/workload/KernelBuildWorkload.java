package io.cvmsim.core.workload;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ThpDefrag;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.vm.GuestMemory;
import io.cvmsim.core.vm.GuestVm;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Parallel kernel builds, the workload of the v9 fragmentation study (8 builds × 16 jobs in a 16
 * vCPU / 16 GiB guest): {@code parallelism} compile jobs run at once, each a process that
 *
 * <ul>
 *   <li>gets a kernel stack (order 2, unmovable) and page tables (order 0, unmovable) when it
 *       starts;
 *   <li>faults in anonymous memory (order 0, movable), with a transparent huge page attempt (order
 *       9, falling back to one base page) now and then; the attempt's mask is the fault's under the
 *       THP {@code defrag} setting ({@code thpDefrag}, default {@code madvise} as in Debian's
 *       kernels) for memory that was or was not {@code madvise(MADV_HUGEPAGE)}d ({@code
 *       thpMadvised}, default 0): by default GFP_TRANSHUGE_LIGHT, which neither compacts nor wakes
 *       kcompactd; {@code always} or a madvised region under {@code madvise} compacts directly;
 *   <li>reads sources and headers into the page cache (order 0, movable, kept after it exits);
 *   <li>makes slab allocations (orders 0–3, unmovable and reclaimable) with their own lifetimes;
 * </ul>
 *
 * and frees its anonymous memory, stack and page tables when it exits. There is no reclaim in the
 * model, so the workload evicts the oldest page cache (as kswapd would) whenever free memory drops
 * under twice the high watermarks. One event is one allocation attempt or one free; the run stops
 * at the first step that reaches {@code events} (a step that ends a compile job frees all of it).
 * Everything random comes from {@code seed}.
 */
final class KernelBuildWorkload implements Workload {

  private static final int BATCH = 8192;

  private final int parallelism;
  private final long events;
  private final double anonFraction;
  private final long jobPagesParam;
  private final boolean thp;
  private final Gfp thpMask;
  private final long seed;
  private final Map<String, Object> params;

  KernelBuildWorkload(WorkloadParams p, Long defaultSeed) {
    p.allowOnly(
        Set.of(
            "type",
            "parallelism",
            "events",
            "anonFraction",
            "jobBytes",
            "thp",
            "thpDefrag",
            "thpMadvised",
            "seed"));
    this.parallelism = (int) p.getLong("parallelism", 8, 1, 4096);
    this.events = p.getLong("events", 1_000_000, 1, 1_000_000_000L);
    this.anonFraction = p.getDouble("anonFraction", 0.35, 0.01, 0.95);
    this.jobPagesParam = p.getBytes("jobBytes", 0, 0, 1L << 40) >>> Sizes.PAGE_SHIFT;
    this.thp = p.getLong("thp", 1, 0, 1) == 1;
    ThpDefrag defrag;
    try {
      defrag = ThpDefrag.ofLabel(p.getString("thpDefrag", ThpDefrag.MADVISE.label(), 16));
    } catch (IllegalArgumentException e) {
      throw SimulatorException.badRequest("thpDefrag", e.getMessage());
    }
    this.thpMask = defrag.faultMask(p.getLong("thpMadvised", 0, 0, 1) == 1);
    this.seed = p.getLong("seed", defaultSeed, 0, Long.MAX_VALUE);
    this.params = p.effective();
  }

  @Override
  public Map<String, Object> parameters() {
    return params;
  }

  /** One compile job in progress, running on one CPU. */
  private static final class Job {
    final int cpu;
    long[] pages = new long[256];
    int held;
    long remaining;

    Job(int cpu) {
      this.cpu = cpu;
    }

    void hold(long pfn) {
      if (held == pages.length) {
        pages = Arrays.copyOf(pages, held * 2);
      }
      pages[held++] = pfn;
    }
  }

  /** What the run did so far. */
  private static final class Counts {
    long events;
    long allocations;
    long failures;
    long frees;
    long evicted;
    long thpAllocated;
    long thpFallback;
    long jobsFinished;
    long tick;

    void allocated(long pfn) {
      events++;
      if (pfn >= 0) {
        allocations++;
      } else {
        failures++;
      }
    }

    void freed() {
      events++;
      frees++;
    }
  }

  @Override
  public WorkloadResult run(GuestVm vm, JobContext ctx) {
    RunMeter meter = new RunMeter(vm);
    long total = meter.totalPages();
    long jobPages =
        jobPagesParam > 0
            ? jobPagesParam
            : Math.max(64, (long) (total * anonFraction / parallelism));
    SplittableRandom rnd = new SplittableRandom(seed);
    Job[] jobs = new Job[parallelism];
    LongHeap slab = new LongHeap();
    LongQueue pageCache = new LongQueue();
    Counts c = new Counts();
    int cpus = vm.withMemory(GuestMemory::cpus);
    for (int i = 0; i < parallelism; i++) {
      jobs[i] = new Job(i % cpus);
    }
    while (c.events < events) {
      ctx.checkCancelled();
      vm.withMemory(
          m -> {
            for (int n = 0; n < BATCH && c.events < events; n++) {
              step(m, rnd, jobs, slab, pageCache, jobPages, c, c.tick++);
            }
            return null;
          });
      ctx.progress(Math.min(1.0, (double) c.events / events));
    }
    return meter.finish(
        WorkloadType.KERNEL_BUILD.label(),
        seed,
        c.events,
        c.allocations,
        c.failures,
        c.frees,
        Map.of(
            "parallelism", (long) parallelism,
            "jobPages", jobPages,
            "compileJobsFinished", c.jobsFinished,
            "pageCacheEvicted", c.evicted,
            "pageCachePages", (long) pageCache.size(),
            "thpAllocated", c.thpAllocated,
            "thpFallback", c.thpFallback));
  }

  private void step(
      GuestMemory m,
      SplittableRandom rnd,
      Job[] jobs,
      LongHeap slab,
      LongQueue pageCache,
      long jobPages,
      Counts c,
      long now) {
    // expired slab objects first, freed by RCU callbacks on the CPUs in turn
    while (!slab.isEmpty() && slab.peekKey() <= now) {
      m.free((int) (now % m.cpus()), slab.pop());
      c.freed();
    }
    if ((now & 255) == 0) {
      evictPageCache(m, pageCache, c);
    }
    Job job = jobs[rnd.nextInt(jobs.length)];
    if (job.remaining <= 0) {
      // the job exits: free its memory, then a new compile job starts
      for (int i = 0; i < job.held; i++) {
        m.free(job.cpu, job.pages[i]);
        c.freed();
      }
      job.held = 0;
      if (c.allocations > 0) {
        c.jobsFinished++;
      }
      job.remaining = jobPages / 2 + rnd.nextLong(jobPages + 1);
      hold(m, job, Gfp.GFP_KERNEL, 2, c);
      hold(m, job, Gfp.GFP_KERNEL, 0, c);
      return;
    }
    // 35% anonymous memory, 50% page cache (sources, headers, objects written), 15% slab
    int r = rnd.nextInt(1000);
    if (r < 350) {
      if (thp && r < 6 && job.remaining >= 512) {
        long pfn = m.alloc(job.cpu, thpMask, 9);
        c.allocated(pfn);
        if (pfn >= 0) {
          c.thpAllocated++;
          job.hold(pfn);
          job.remaining -= 512;
          return;
        }
        c.thpFallback++;
      }
      hold(m, job, Gfp.GFP_HIGHUSER_MOVABLE, 0, c);
      job.remaining--;
    } else if (r < 850) {
      long pfn = m.alloc(job.cpu, Gfp.GFP_HIGHUSER_MOVABLE, 0);
      c.allocated(pfn);
      if (pfn >= 0) {
        pageCache.add(pfn);
      }
    } else {
      boolean reclaimable = r >= 950;
      int order = slabOrder(rnd);
      long pfn = m.alloc(job.cpu, reclaimable ? Gfp.GFP_KERNEL_RECLAIMABLE : Gfp.GFP_KERNEL, order);
      c.allocated(pfn);
      if (pfn < 0) {
        return;
      }
      // unmovable slab lives about as long as a few compile jobs, reclaimable (dentries,
      // inodes) much longer; 5% of unmovable objects live for the whole run
      long mean = reclaimable ? 40L * jobPages : 4L * jobPages;
      long life =
          !reclaimable && rnd.nextInt(20) == 0
              ? Long.MAX_VALUE / 4
              : 1 + (long) (-Math.log(1 - rnd.nextDouble()) * mean);
      slab.push(now + life, pfn);
    }
  }

  private static int slabOrder(SplittableRandom rnd) {
    int r = rnd.nextInt(100);
    return r < 70 ? 0 : r < 85 ? 1 : r < 95 ? 2 : 3;
  }

  private static void hold(GuestMemory m, Job job, Gfp gfp, int order, Counts c) {
    long pfn = m.alloc(job.cpu, gfp, order);
    c.allocated(pfn);
    if (pfn >= 0) {
      job.hold(pfn);
    }
  }

  /** Evicts the oldest page cache while free memory is under twice the high watermarks. */
  private static void evictPageCache(GuestMemory m, LongQueue pageCache, Counts c) {
    long floor = 2 * m.watermarkPages(WatermarkLevel.HIGH);
    long free = m.freePages();
    while (free < floor && !pageCache.isEmpty()) {
      m.free(0, pageCache.poll());
      c.freed();
      c.evicted++;
      free++;
    }
  }
}
