package io.cvmsim.core.accept.snp;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.memory.PageSize;

/**
 * Models {@code snp_accept_memory()}: in the kernel (arch/x86/coco/sev/core.c) the range is made
 * private with page-state-change (PSC) requests through the GHCB, each carrying up to
 * VMGEXIT_PSC_MAX_ENTRY entries, one 2 MiB entry where the address is 2 MiB aligned and 2 MiB
 * remain, else one 4 KiB entry; after each request every entry is PVALIDATEd at its size, and a 2
 * MiB PVALIDATE that fails with SIZEMISMATCH (the RMP holds the memory as 4 KiB pages) is redone as
 * 512 4 KiB PVALIDATEs. In the EFI stub and decompressor (arch/x86/boot/compressed/sev.c) there is
 * no GHCB yet: every 4 KiB page is changed with one MSR-protocol VMGEXIT and validated with one 4
 * KiB PVALIDATE.
 */
public final class SnpPlatform implements AcceptPlatform {

  private static final long SIZE_2M = PageSize.SIZE_2M.bytes();
  private static final long SIZE_4K = PageSize.SIZE_4K.bytes();

  private final AcceptCosts costs;

  /** Creates an SNP platform charging from these costs. */
  public SnpPlatform(AcceptCosts costs) {
    this.costs = costs;
  }

  @Override
  public String name() {
    return "SNP";
  }

  @Override
  public AcceptOperations accept(long start, long end, AcceptPhase phase) {
    if (phase == AcceptPhase.STUB) {
      long pages = (end - start) / SIZE_4K;
      long nanos =
          pages * (costs.snpVmgexitNanos() + costs.clearNanosPer4k() + costs.snpPvalidateNanos());
      return new AcceptOperations(pages, 0, 0, 0, 0, pages, nanos);
    }
    boolean hostHuge = costs.snpHostMaxPageSize().compareTo(PageSize.SIZE_2M) >= 0;
    int maxEntries = costs.snpPscMaxEntries();
    long ops4k = 0;
    long ops2m = 0;
    long failed2m = 0;
    long exits = 0;
    long pvalidates = 0;
    long addr = start;
    while (addr < end) {
      // One PSC request of up to maxEntries entries, then PVALIDATE of each entry.
      int entries = 0;
      while (addr < end && entries < maxEntries) {
        if ((addr & (SIZE_2M - 1)) == 0 && addr + SIZE_2M <= end) {
          if (hostHuge) {
            ops2m++;
            pvalidates++;
          } else {
            failed2m++;
            ops4k += 512;
            pvalidates += 513;
          }
          addr += SIZE_2M;
        } else {
          ops4k++;
          pvalidates++;
          addr += SIZE_4K;
        }
        entries++;
      }
      exits++;
    }
    long pages = (end - start) / SIZE_4K;
    long nanos =
        exits * costs.snpVmgexitNanos()
            + pages * costs.clearNanosPer4k()
            + pvalidates * costs.snpPvalidateNanos();
    return new AcceptOperations(ops4k, ops2m, 0, failed2m, 0, exits, nanos);
  }
}
