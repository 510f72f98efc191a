package io.cvmsim.core.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.ZoneType;
import io.cvmsim.core.stats.MemorySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded property test: random allocations, frees and explicit accepts against a naive model with
 * one state per 4 KiB page (free, parked, allocated, not managed). The allocator must only hand out
 * pages the model has free or parked (and then accepted), never a page twice, and its counters must
 * equal the model's counts (a free page may sit in the buddy lists or on a per-cpu list); the
 * allocator's own invariants are checked after every step.
 */
class AllocatorReferenceModelTest {

  static final byte UNMANAGED = 0;
  static final byte FREE = 1;
  static final byte PARKED = 2;
  static final byte ALLOCATED = 3;

  @Test
  void randomOperations_agreeWithOneStatePerPage() {
    for (KernelModel k : KernelModel.values()) {
      for (long seed = 1; seed <= 3; seed++) {
        run(k, seed);
      }
    }
  }

  private static void run(KernelModel k, long seed) {
    String where = k + " seed " + seed;
    Guests.Booted g = Guests.boot(k, false, 512 * Sizes.MIB, 96 * Sizes.MIB, 2);
    PageAllocator a = g.allocator();
    int pages = (int) (512 * Sizes.MIB / Sizes.PAGE_SIZE) + 256;
    byte[] state = new byte[pages];
    init(a, state);
    long accepted = a.vmstat.acceptedChunks;
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Long> live = new ArrayList<>();
    Gfp[] masks = {
      Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_HIGHUSER_MOVABLE,
          Gfp.GFP_KERNEL_RECLAIMABLE,
      Gfp.GFP_ATOMIC, Gfp.GFP_DMA32, Gfp.GFP_DMA, Gfp.GFP_TRANSHUGE_LIGHT
    };
    for (int step = 0; step < 2000; step++) {
      int op = rnd.nextInt(10);
      if (op < 6 || live.isEmpty()) {
        Gfp gfp = masks[rnd.nextInt(masks.length)];
        int order = rnd.nextInt(6) == 0 ? rnd.nextInt(11) : rnd.nextInt(3);
        long pfn = a.allocPages(0, gfp, order);
        if (pfn >= 0) {
          for (long p = pfn; p < pfn + (1L << order); p++) {
            assertThat(state[(int) p])
                .as("%s step %d: pfn %d handed out while %d", where, step, p, state[(int) p])
                .isIn(FREE, PARKED);
            state[(int) p] = ALLOCATED;
          }
          assertThat(ZoneType.ofPfn(pfn).ordinal())
              .isLessThanOrEqualTo(Math.min(2, gfp.highestZone().ordinal()));
          live.add(pfn);
        }
      } else if (op < 9) {
        long pfn = live.remove(rnd.nextInt(live.size()));
        int order = a.allocationOrder(pfn);
        assertThat(a.freePages(0, pfn)).isEqualTo(order);
        for (long p = pfn; p < pfn + (1L << order); p++) {
          state[(int) p] = FREE;
        }
      } else {
        long s = Sizes.PAGE_SIZE * rnd.nextInt(pages);
        g.unaccepted()
            .acceptMemory(s, s + Sizes.PAGE_SIZE * (1 + rnd.nextInt(4096)), AcceptTrigger.EXPLICIT);
      }
      if (a.vmstat.acceptedChunks != accepted) {
        accepted = a.vmstat.acceptedChunks;
        refresh(a, state);
      }
      if (step % 25 == 0) {
        compare(g, state, where + " step " + step);
        Invariants.check(a);
      }
    }
    compare(g, state, where + " end");
  }

  /** Reads the state after boot: parked chunks, boot allocations, free blocks. */
  private static void init(PageAllocator a, byte[] state) {
    boolean[] parked = parkedPages(a, state.length);
    for (int p = 0; p < state.length; p++) {
      if (parked[p]) {
        state[p] = PARKED;
      }
    }
    a.forEachAllocation(
        (pfn, order, mt) -> {
          for (long p = pfn; p < pfn + (1L << order); p++) {
            state[(int) p] = ALLOCATED;
          }
        });
    a.pcp.forEachBlock(
        (pfn, order, zone) -> {
          for (long p = pfn; p < pfn + (1L << order); p++) {
            state[(int) p] = FREE;
          }
        });
    FreeAreas free = a.buddy.free;
    for (int z = 0; z < ZoneType.POPULATABLE; z++) {
      for (int o = 0; o <= Sizes.MAX_ORDER; o++) {
        for (int m = 0; m < MigrateType.COUNT; m++) {
          for (int n = free.first(z, o, m); n != FreeAreas.NIL; n = free.next(n)) {
            long pfn = free.pfn(n);
            for (long p = pfn; p < pfn + (1L << o); p++) {
              state[(int) p] = FREE;
            }
          }
        }
      }
    }
  }

  private static boolean[] parkedPages(PageAllocator a, int pages) {
    boolean[] parked = new boolean[pages];
    for (Zone z : a.zones) {
      for (int r = 0; r < z.parked.runs(); r++) {
        long[] run = z.parked.run(r);
        for (long p = run[0]; p < run[0] + (run[1] << Sizes.MAX_ORDER); p++) {
          parked[(int) p] = true;
        }
      }
    }
    return parked;
  }

  /**
   * After an acceptance: parked pages no longer parked became free (or were just handed out);
   * nothing may become parked after boot.
   */
  private static void refresh(PageAllocator a, byte[] state) {
    boolean[] parked = parkedPages(a, state.length);
    for (int p = 0; p < state.length; p++) {
      if (parked[p]) {
        assertThat(state[p]).as("pfn %d became parked after boot", p).isEqualTo(PARKED);
      } else if (state[p] == PARKED) {
        state[p] = FREE;
      }
    }
  }

  private static void compare(Guests.Booted g, byte[] state, String where) {
    long free = 0;
    long parked = 0;
    long allocated = 0;
    for (byte s : state) {
      free += s == FREE ? 1 : 0;
      parked += s == PARKED ? 1 : 0;
      allocated += s == ALLOCATED ? 1 : 0;
    }
    MemorySnapshot snap = g.memory();
    // pages the model has free are free in the buddy lists or cached on a CPU's per-cpu lists
    long pcp = 0;
    long buddy = 0;
    for (var z : snap.zones()) {
      pcp += z.pcpPages();
      buddy += z.buddyFreePages();
    }
    assertThat(snap.unacceptedPages()).as(where + ": NR_UNACCEPTED").isEqualTo(parked);
    assertThat(snap.freePages() + pcp)
        .as(where + ": NR_FREE_PAGES + per-cpu")
        .isEqualTo(free + parked);
    assertThat(snap.totalPages()).as(where + ": managed").isEqualTo(free + parked + allocated);
    assertThat(buddy + pcp).as(where + ": buddyinfo + per-cpu pages").isEqualTo(free);
  }
}
