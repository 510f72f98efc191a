package io.cvmsim.core.accept.tdx;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.memory.PageSize;

/**
 * Models {@code tdx_accept_memory()} (arch/x86/coco/tdx/tdx-shared.c), used by the kernel and by
 * the EFI stub alike.
 *
 * <p>Implementation notes: while {@code start < end}, try 1 GiB, then 2 MiB, then 4 KiB; a size is
 * attempted only if {@code start} is aligned to it and at least that much remains. Each attempt is
 * one TDCALL TDG.MEM.PAGE.ACCEPT (Intel TDX Module ABI spec, leaf 6) with RCX = start | level. An
 * attempt above the host's mapping size fails (TDX_PAGE_SIZE_MISMATCH) and the next smaller size is
 * tried; the kernel panics only if 4 KiB fails too, which cannot happen here.
 */
public final class TdxPlatform implements AcceptPlatform {

  private static final PageSize[] SIZES = {PageSize.SIZE_1G, PageSize.SIZE_2M, PageSize.SIZE_4K};

  private final AcceptCosts costs;

  /** Creates a TDX platform charging from these costs. */
  public TdxPlatform(AcceptCosts costs) {
    this.costs = costs;
  }

  @Override
  public String name() {
    return "TDX";
  }

  @Override
  public AcceptOperations accept(long start, long end, AcceptPhase phase) {
    long[] ok = new long[3];
    long failed2m = 0;
    long failed1g = 0;
    long calls = 0;
    long clears = 0;
    PageSize hostMax = costs.tdxHostMaxPageSize();
    while (start < end) {
      long len = end - start;
      PageSize done = null;
      for (PageSize size : SIZES) {
        long bytes = size.bytes();
        if ((start & (bytes - 1)) != 0 || len < bytes) {
          continue;
        }
        calls++;
        if (size.compareTo(hostMax) > 0) {
          if (size == PageSize.SIZE_1G) {
            failed1g++;
          } else {
            failed2m++;
          }
          continue;
        }
        done = size;
        break;
      }
      if (done == null) {
        throw new IllegalStateException("TDX: Failed to accept memory");
      }
      // Until the next boundary of the next larger size, every attempt succeeds at this size
      // without trying larger ones first: count that stretch at once.
      long bytes = done.bytes();
      long stretch = len;
      if (done != PageSize.SIZE_1G) {
        long larger =
            done == PageSize.SIZE_4K ? PageSize.SIZE_2M.bytes() : PageSize.SIZE_1G.bytes();
        long toBoundary = ((start + larger) & -larger) - start;
        stretch = Math.min(len, toBoundary);
      }
      long n = Math.max(1, stretch / bytes);
      ok[done.level()] += n;
      calls += n - 1;
      clears += n * (bytes >>> 12);
      start += n * bytes;
    }
    long nanos = calls * costs.tdcallNanos() + clears * costs.clearNanosPer4k();
    return new AcceptOperations(ok[0], ok[1], ok[2], failed2m, failed1g, calls, nanos);
  }
}
