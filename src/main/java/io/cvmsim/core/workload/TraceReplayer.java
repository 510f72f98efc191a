package io.cvmsim.core.workload;

import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.vm.GuestMemory;
import io.cvmsim.core.vm.GuestVm;
import java.util.Arrays;

/**
 * Replays a kernel's page allocations and frees into a guest: each traced allocation is made again
 * with its mask and order, each traced free frees what the matching allocation got here (the
 * kernel's pfns and the guest's differ: the guest decides where a block comes from). Events are
 * buffered and applied in batches under the guest's lock.
 *
 * <p>A traced free of a pfn the trace never allocated frees memory the kernel held before tracing
 * began. If the guest was given such memory to hold ({@link #hold}), one held block of the same
 * zone is freed in its place (order-0 pages, 2^order of them); otherwise the free is counted as
 * unmatched and nothing happens.
 *
 * <p>The guest does not compact while the replayer applies events ({@link
 * GuestMemory#setCompaction}): the trace already carries the kernel's compaction, as the frees of
 * the pages it migrated away from (the pages it migrated to were taken by its free scanner, which
 * no allocation event shows), so compacting here too would move memory twice. Blocks are kept by
 * the handles the guest gave.
 *
 * <p>Not thread safe; one replayer per replay.
 */
public final class TraceReplayer {

  private static final int BATCH = 8192;
  private static final int ALLOC = 0;
  private static final int FREE = 1;
  private static final int KSWAPD_WAKE = 2;
  private static final int KSWAPD_SLEEP = 3;

  private final GuestVm vm;

  // the pending batch
  private final int[] kind = new int[BATCH];
  private final int[] cpu = new int[BATCH];
  private final long[] kpfn = new long[BATCH];
  private final int[] order = new int[BATCH];
  private final Gfp[] gfp = new Gfp[BATCH];
  private int pending;

  // traced pfn -> slot of simPfn; freed slots are reused
  private final LongIntMap live = new LongIntMap(1 << 16);
  private long[] simPfn = new long[1 << 16];
  private int[] freeSlots = new int[1024];
  private int freeSlotCount;
  private int slotsUsed;

  // pages held for the kernel's memory from before tracing, per zone
  private final long[][] held = new long[ZoneType.COUNT][];
  private final int[] heldCount = new int[ZoneType.COUNT];

  private long allocations;
  private long failures;
  private long frees;
  private long unmatchedFrees;
  private long freedInsteadFromHeld;
  private long freesOfFailed;

  /** Creates a replayer into {@code vm} (booted). */
  public TraceReplayer(GuestVm vm) {
    this.vm = vm;
    for (int z = 0; z < ZoneType.COUNT; z++) {
      held[z] = new long[64];
    }
  }

  /**
   * Allocates {@code pages} order-0 pages with {@code mask} and holds them as memory the kernel
   * held before tracing; returns how many it got.
   */
  public long hold(Gfp mask, long pages) {
    flush();
    long[] got = {0};
    while (got[0] < pages) {
      long before = got[0];
      vm.withMemory(
          m -> {
            boolean compacted = m.setCompaction(false);
            try {
              for (int i = 0; i < BATCH && got[0] < pages; i++) {
                long p = m.alloc(0, mask, 0);
                if (p < 0) {
                  return null;
                }
                int z = ZoneType.ofPfn(m.headPfn(p)).ordinal();
                if (heldCount[z] == held[z].length) {
                  held[z] = Arrays.copyOf(held[z], held[z].length * 2);
                }
                held[z][heldCount[z]++] = p;
                got[0]++;
              }
            } finally {
              m.setCompaction(compacted);
            }
            return null;
          });
      if (got[0] - before < BATCH && got[0] < pages) {
        break;
      }
    }
    return got[0];
  }

  /**
   * Replays kmem:mm_page_alloc on traced CPU {@code tracedCpu} (CPUs beyond the guest's wrap
   * around); a failed traced allocation (pfn -1) is not replayed.
   */
  public void alloc(int tracedCpu, long pfn, int blockOrder, Gfp mask) {
    if (pfn < 0) {
      return;
    }
    add(ALLOC, tracedCpu, pfn, blockOrder, mask);
  }

  /** Replays kmem:mm_page_free on traced CPU {@code tracedCpu}. */
  public void free(int tracedCpu, long pfn, int blockOrder) {
    add(FREE, tracedCpu, pfn, blockOrder, null);
  }

  /**
   * Replays vmscan:mm_vmscan_kswapd_wake: the guest's kswapd runs as the trace's did, so reclaim is
   * the trace's frees and nothing is freed twice.
   */
  public void kswapdWake(int tracedCpu) {
    add(KSWAPD_WAKE, tracedCpu, 0, 0, null);
  }

  /** Replays vmscan:mm_vmscan_kswapd_sleep. */
  public void kswapdSleep(int tracedCpu) {
    add(KSWAPD_SLEEP, tracedCpu, 0, 0, null);
  }

  private void add(int k, int c, long pfn, int o, Gfp mask) {
    kind[pending] = k;
    cpu[pending] = c;
    kpfn[pending] = pfn;
    order[pending] = o;
    gfp[pending] = mask;
    if (++pending == BATCH) {
      flush();
    }
  }

  /** Applies the pending events. */
  public void flush() {
    if (pending == 0) {
      return;
    }
    vm.withMemory(
        m -> {
          int cpus = m.cpus();
          // the trace carries the kernel's compaction (its migrations as frees and allocations)
          // and its kswapd runs: the model's compaction is off, and a trace-driven kswapd never
          // wakes the model's kcompactd
          boolean compacted = m.setCompaction(false);
          try {
            for (int i = 0; i < pending; i++) {
              int c = Math.floorMod(cpu[i], cpus);
              switch (kind[i]) {
                case ALLOC -> replayAlloc(m, c, kpfn[i], order[i], gfp[i]);
                case FREE -> replayFree(m, c, kpfn[i], order[i]);
                case KSWAPD_WAKE -> m.kswapdWakeFromTrace();
                default -> m.kswapdSleepFromTrace();
              }
            }
          } finally {
            m.setCompaction(compacted);
          }
          return null;
        });
    Arrays.fill(gfp, 0, pending, null);
    pending = 0;
  }

  private void replayAlloc(GuestMemory m, int c, long pfn, int o, Gfp mask) {
    long got = m.alloc(c, mask, o);
    if (got < 0) {
      failures++;
    } else {
      allocations++;
    }
    int slot = live.get(pfn, -1);
    if (slot >= 0) {
      // the kernel allocated a pfn the trace never freed: free what we held for it first
      releaseSlot(m, c, pfn, slot);
    }
    slot = freeSlotCount > 0 ? freeSlots[--freeSlotCount] : slotsUsed++;
    if (slot == simPfn.length) {
      simPfn = Arrays.copyOf(simPfn, simPfn.length * 2);
    }
    simPfn[slot] = got;
    live.put(pfn, slot);
  }

  private void replayFree(GuestMemory m, int c, long pfn, int o) {
    int slot = live.remove(pfn, -1);
    if (slot < 0) {
      freeHeld(m, c, pfn, o);
      return;
    }
    releaseFree(m, c, slot);
  }

  private void releaseSlot(GuestMemory m, int c, long pfn, int slot) {
    live.remove(pfn, -1);
    releaseFree(m, c, slot);
  }

  private void releaseFree(GuestMemory m, int c, int slot) {
    long p = simPfn[slot];
    if (p < 0) {
      freesOfFailed++;
    } else {
      m.free(c, p);
      frees++;
    }
    if (freeSlotCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
    }
    freeSlots[freeSlotCount++] = slot;
  }

  private void freeHeld(GuestMemory m, int c, long pfn, int o) {
    int z = ZoneType.ofPfn(pfn).ordinal();
    long pages = 1L << o;
    if (heldCount[z] < pages) {
      unmatchedFrees++;
      return;
    }
    for (long i = 0; i < pages; i++) {
      m.free(c, held[z][--heldCount[z]]);
    }
    freedInsteadFromHeld++;
  }

  /** Returns what the replay did so far. */
  public Counts counts() {
    return new Counts(
        allocations,
        failures,
        frees,
        unmatchedFrees,
        freedInsteadFromHeld,
        freesOfFailed,
        live.size());
  }

  /**
   * What a replay did.
   *
   * @param allocations traced allocations made again
   * @param failures traced allocations the guest could not make
   * @param frees traced frees of blocks the replay had allocated
   * @param unmatchedFrees traced frees of pfns never allocated in the trace, with nothing held to
   *     free instead
   * @param freedFromHeld traced frees of pfns never allocated in the trace, for which held memory
   *     was freed
   * @param freesOfFailed traced frees of blocks whose allocation failed here
   * @param stillAllocated traced blocks allocated and not freed
   */
  public record Counts(
      long allocations,
      long failures,
      long frees,
      long unmatchedFrees,
      long freedFromHeld,
      long freesOfFailed,
      long stillAllocated) {}
}
