package io.cvmsim.core.accept.spi;

import io.cvmsim.core.memory.PageSize;

/**
 * The cost model of acceptance: simulated nanoseconds per instruction and per byte, and the largest
 * page size the host backs private memory with. Defaults and their sources:
 *
 * <ul>
 *   <li>{@code tdcallNanos} 2200 and {@code clearNanosPer4k} 300: one 4 KiB TDX accept costs about
 *       2.5 µs (derived from ~60 s to accept 90 GiB = 23.6 M pages on one vCPU, Kirill Shutemov,
 *       lore ihzvi5pwn5hrn4ky2ehjqztjxoixaiaby4igmeihqfehy2vrii, Oct 2024); the page clear is taken
 *       as 4 KiB at ~13.6 GB/s (MOVDIR64B), the rest is the TD exit and Secure-EPT walk. A 2 MiB
 *       accept is then one exit plus 512 clears (~156 µs), i.e. the "512× fewer TDCALLs" of the
 *       same mail.
 *   <li>{@code snpVmgexitNanos} 2200: one GHCB page-state-change exit, taken equal to a TDCALL (no
 *       published SNP figure; figures.md §2.3). {@code snpPvalidateNanos} 150 per PVALIDATE
 *       instruction (assumed: an RMP update without a page clear). The host clears what it assigns
 *       at {@code clearNanosPer4k}.
 *   <li>{@code snpPscMaxEntries} 64: VMGEXIT_PSC_MAX_ENTRY since 69dcb1e3bbbe ("x86/sev: Limit the
 *       max page state change entries"), which 6.5 already has, and mainline keeps; the GHCB
 *       protocol allows 253 (VMGEXIT_PSC_MAX_COUNT).
 *   <li>{@code tdxHostMaxPageSize} 4K, {@code snpHostMaxPageSize} 4K: upstream KVM backs private
 *       memory with guest_memfd, whose folios are 4 KiB (huge-page support is not merged): TDX maps
 *       private memory at 4K in the Secure EPT (Dstack-TEE/dstack#1220: "the host maps TD private
 *       memory at 4K only"), and SNP's RMP entries are made at 4K, so a 2M or 1G accept fails with
 *       a size mismatch and falls back to 512 (or 262,144) 4 KiB accepts (figures.md §2.1, §2.3
 *       edk2 #12774). The published boot and acceptance figures were measured so, and the boot-time
 *       experiment assumes it. Set 2M or 1G to model a host that backs private memory with huge
 *       pages, where every size the kernel tries succeeds.
 * </ul>
 *
 * @param tdcallNanos cost of one TDG.MEM.PAGE.ACCEPT call, excluding the page clear
 * @param clearNanosPer4k cost of clearing 4 KiB of private memory
 * @param tdxHostMaxPageSize the largest page size a TDX accept can succeed at
 * @param snpVmgexitNanos cost of one page-state-change VMGEXIT (GHCB or MSR protocol)
 * @param snpPvalidateNanos cost of one PVALIDATE instruction
 * @param snpPscMaxEntries entries per page-state-change request
 * @param snpHostMaxPageSize the largest page size an SNP PVALIDATE can succeed at
 */
public record AcceptCosts(
    long tdcallNanos,
    long clearNanosPer4k,
    PageSize tdxHostMaxPageSize,
    long snpVmgexitNanos,
    long snpPvalidateNanos,
    int snpPscMaxEntries,
    PageSize snpHostMaxPageSize) {

  /** The defaults documented above. */
  public static final AcceptCosts DEFAULTS =
      new AcceptCosts(2200, 300, PageSize.SIZE_4K, 2200, 150, 64, PageSize.SIZE_4K);

  /** Checks the values. */
  public AcceptCosts {
    if (tdcallNanos < 0 || clearNanosPer4k < 0 || snpVmgexitNanos < 0 || snpPvalidateNanos < 0) {
      throw new IllegalArgumentException("accept costs must not be negative");
    }
    if (snpPscMaxEntries < 1) {
      throw new IllegalArgumentException("snpPscMaxEntries must be at least 1");
    }
    if (tdxHostMaxPageSize == null || snpHostMaxPageSize == null) {
      throw new IllegalArgumentException("host page sizes must be set");
    }
  }

  /** Returns a copy where the host backs private memory with pages of at most this size. */
  public AcceptCosts withHostMaxPageSize(PageSize size) {
    PageSize snp = size.compareTo(PageSize.SIZE_2M) > 0 ? PageSize.SIZE_2M : size;
    return new AcceptCosts(
        tdcallNanos,
        clearNanosPer4k,
        size,
        snpVmgexitNanos,
        snpPvalidateNanos,
        snpPscMaxEntries,
        snp);
  }
}
