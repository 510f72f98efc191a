package io.cvmsim.core.accept.spi;

import io.cvmsim.core.memory.PageSize;

/**
 * What one {@code arch_accept_memory()} call did: the accept instructions that succeeded, by page
 * size (TDX: TDG.MEM.PAGE.ACCEPT; SNP: PVALIDATE), the attempts the host refused because it backs
 * the memory with smaller pages, the exits to the hypervisor, and the simulated time it took.
 *
 * @param ops4k successful 4 KiB accepts
 * @param ops2m successful 2 MiB accepts
 * @param ops1g successful 1 GiB accepts
 * @param failed2m 2 MiB attempts that failed with a page-size mismatch
 * @param failed1g 1 GiB attempts that failed with a page-size mismatch
 * @param hypervisorExits TDCALLs (TDX) or page-state-change VMGEXITs (SNP)
 * @param simulatedNanos simulated time on one vCPU
 */
public record AcceptOperations(
    long ops4k,
    long ops2m,
    long ops1g,
    long failed2m,
    long failed1g,
    long hypervisorExits,
    long simulatedNanos) {

  /** No operations. */
  public static final AcceptOperations NONE = new AcceptOperations(0, 0, 0, 0, 0, 0, 0);

  /** Returns the successful operations of one page size. */
  public long ops(PageSize size) {
    return switch (size) {
      case SIZE_4K -> ops4k;
      case SIZE_2M -> ops2m;
      case SIZE_1G -> ops1g;
    };
  }

  /** Returns the bytes these operations accepted. */
  public long acceptedBytes() {
    return ops4k * PageSize.SIZE_4K.bytes()
        + ops2m * PageSize.SIZE_2M.bytes()
        + ops1g * PageSize.SIZE_1G.bytes();
  }

  /** Returns the sum of this and another. */
  public AcceptOperations plus(AcceptOperations o) {
    return new AcceptOperations(
        ops4k + o.ops4k,
        ops2m + o.ops2m,
        ops1g + o.ops1g,
        failed2m + o.failed2m,
        failed1g + o.failed1g,
        hypervisorExits + o.hypervisorExits,
        simulatedNanos + o.simulatedNanos);
  }
}
