package io.cvmsim.core.accept;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.tdx.TdxPlatform;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.firmware.EfiStub;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded property test: random memory maps and random accept/contains sequences against a naive
 * model that keeps one flag per 4 KiB page and follows kernel-behaviour.md §2.3, §3.2 and §3.3
 * literally. Every answer and every final bitmap must agree. The seed is in every message.
 */
class AcceptReferenceModelTest {

  private static final long U = Sizes.UNIT_SIZE;
  private static final long P = Sizes.PAGE_SIZE;

  /** One flag per page over [lo, hi). */
  static final class Naive {
    final long lo;
    final boolean[] flag;
    long base;
    long cap;
    boolean table;

    Naive(long lo, long hi) {
      this.lo = lo;
      this.flag = new boolean[(int) ((hi - lo) / P)];
    }

    boolean unitFlagged(long u) {
      long phys = base + u * U;
      for (long a = phys; a < phys + U; a += P) {
        int i = (int) ((a - lo) / P);
        if (i >= 0 && i < flag.length && flag[i]) {
          return true;
        }
      }
      return false;
    }

    void clearUnit(long u) {
      long phys = base + u * U;
      for (long a = phys; a < phys + U; a += P) {
        int i = (int) ((a - lo) / P);
        if (i >= 0 && i < flag.length) {
          flag[i] = false;
        }
      }
    }

    List<long[]> accept(long start, long end) {
      List<long[]> out = new ArrayList<>();
      if (!table) {
        return out;
      }
      if (start < base) {
        start = base;
      }
      if (end < base) {
        return out;
      }
      start -= base;
      end -= base;
      if (end % U == 0) {
        end += U;
      }
      if (end > cap) {
        end = cap;
      }
      long runStart = -1;
      long last = (end + U - 1) / U;
      for (long u = start / U; u <= last; u++) {
        boolean f = u < last && unitFlagged(u);
        if (f && runStart < 0) {
          runStart = u;
        } else if (!f && runStart >= 0) {
          out.add(new long[] {base + runStart * U, base + u * U});
          for (long x = runStart; x < u; x++) {
            clearUnit(x);
          }
          runStart = -1;
        }
      }
      return out;
    }

    boolean contains(long start, long end) {
      if (!table) {
        return false;
      }
      if (start < base) {
        start = base;
      }
      if (end < base) {
        return false;
      }
      start -= base;
      end -= base;
      if (end % U == 0) {
        end += U;
      }
      if (end > cap) {
        end = cap;
      }
      for (long cur = start; cur < end; cur += U) {
        if (unitFlagged(cur / U)) {
          return true;
        }
      }
      return false;
    }

    List<long[]> runs() {
      List<long[]> out = new ArrayList<>();
      long units = cap / U;
      long rs = -1;
      for (long u = 0; u <= units; u++) {
        boolean f = u < units && unitFlagged(u);
        if (f && rs < 0) {
          rs = u;
        } else if (!f && rs >= 0) {
          out.add(new long[] {rs, u});
          rs = -1;
        }
      }
      return out;
    }
  }

  @Test
  void randomMapsAndOperations_agreeWithOneFlagPerPage() {
    for (long seed = 1; seed <= 300; seed++) {
      runOne(seed);
    }
  }

  private static void runOne(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long origin = rnd.nextBoolean() ? 0 : Sizes.alignDown(rnd.nextLong(1L << 40), P);
    List<EfiMemoryDescriptor> ds = new ArrayList<>();
    long cur = origin;
    int n = 1 + rnd.nextInt(7);
    EfiMemoryType[] types = {
      EfiMemoryType.CONVENTIONAL,
      EfiMemoryType.UNACCEPTED,
      EfiMemoryType.UNACCEPTED,
      EfiMemoryType.RESERVED,
      EfiMemoryType.ACPI_NVS
    };
    for (int i = 0; i < n; i++) {
      cur += rnd.nextInt(4) == 0 ? P * rnd.nextInt(2048) : 0;
      long pages = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(1100) : 1 + rnd.nextInt(40_000);
      ds.add(new EfiMemoryDescriptor(types[rnd.nextInt(types.length)], cur, pages));
      cur += pages * P;
    }
    EfiMemoryMap map = EfiMemoryMap.of(ds);
    long lo = Sizes.alignDown(origin, U) - 8 * U;
    if (lo < 0) {
      lo = 0;
    }
    long hi = Sizes.alignUp(cur, U) + 8 * U;
    Naive naive = new Naive(lo, hi);
    List<long[]> stubAccepted = new ArrayList<>();
    UnacceptedTable table = EfiStub.install(map, U, (s, e) -> stubAccepted.add(new long[] {s, e}));
    UnacceptedMemory real =
        new UnacceptedMemory(table, new TdxPlatform(AcceptCosts.DEFAULTS), (p, t, s, e, o) -> {});
    if (table != null) {
      naive.table = true;
      naive.base = table.physBase();
      naive.cap = table.capacityBytes();
      // naive stub: a descriptor's pages are recorded iff it spans two units and they lie in its
      // unit-aligned middle; everything else of it is accepted at once
      boolean[] accepted = new boolean[naive.flag.length];
      for (EfiMemoryDescriptor d : ds) {
        if (d.type() != EfiMemoryType.UNACCEPTED) {
          continue;
        }
        long a = Sizes.alignUp(d.physStart(), U);
        long b = Sizes.alignDown(d.end(), U);
        boolean recordable = d.end() - d.physStart() >= 2 * U;
        for (long p = d.physStart(); p < d.end(); p += P) {
          int i = (int) ((p - lo) / P);
          if (recordable && p >= a && p < b) {
            naive.flag[i] = true;
          } else {
            accepted[i] = true;
          }
        }
      }
      long stubBytes = 0;
      for (long[] r : stubAccepted) {
        stubBytes += r[1] - r[0];
        for (long p = r[0]; p < r[1]; p += P) {
          assertThat(accepted[(int) ((p - lo) / P)]).as("seed %d: stub page %x", seed, p).isTrue();
        }
      }
      long expected = 0;
      for (boolean x : accepted) {
        expected += x ? P : 0;
      }
      assertThat(stubBytes).as("seed %d: stub-accepted bytes", seed).isEqualTo(expected);
      assertThat(real.unacceptedRuns())
          .as("seed %d: table", seed)
          .usingRecursiveComparison()
          .isEqualTo(naive.runs());
    } else {
      assertThat(map.hasUnaccepted()).isFalse();
    }
    for (int step = 0; step < 60; step++) {
      long s = lo + P * rnd.nextLong((hi - lo) / P);
      long len =
          rnd.nextInt(3) == 0
              ? P * (1 + rnd.nextInt(4))
              : rnd.nextInt(2) == 0 ? U * (1 + rnd.nextInt(6)) : P * (1 + rnd.nextInt(8000));
      if (rnd.nextInt(4) == 0) {
        s = Sizes.alignDown(s, U);
      }
      long e = Math.min(s + len, hi);
      if (s >= e) {
        continue;
      }
      if (rnd.nextBoolean()) {
        assertThat(real.rangeContainsUnacceptedMemory(s, e))
            .as("seed %d step %d contains [%x, %x)", seed, step, s, e)
            .isEqualTo(naive.contains(s, e));
      } else {
        List<AcceptedRange> got = real.acceptMemory(s, e, AcceptTrigger.EXPLICIT);
        List<long[]> exp = naive.accept(s, e);
        assertThat(got).as("seed %d step %d accept [%x, %x)", seed, step, s, e).hasSize(exp.size());
        for (int i = 0; i < got.size(); i++) {
          assertThat(new long[] {got.get(i).start(), got.get(i).end()}).containsExactly(exp.get(i));
        }
      }
    }
    if (table != null) {
      assertThat(real.unacceptedRuns())
          .as("seed %d: final bitmap", seed)
          .usingRecursiveComparison()
          .isEqualTo(naive.runs());
    }
  }
}
