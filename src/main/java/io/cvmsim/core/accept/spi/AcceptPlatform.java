package io.cvmsim.core.accept.spi;

/**
 * Models the kernel's {@code arch_accept_memory(start, end)}: makes guest-physical memory {@code
 * [start, end)} private and usable, the way one confidential-computing platform does it.
 *
 * <p>Implementations are stateless apart from their cost model and are safe to call from many
 * threads at once (the kernel calls it with the unaccepted-memory lock dropped). They count their
 * instructions by page size and charge simulated time; they never look at the bitmap, the allocator
 * or the VM.
 */
public interface AcceptPlatform {

  /** Returns the platform's name as the API spells it: "TDX", "SNP" or "NONE". */
  String name();

  /**
   * Returns whether the platform's memory is private and must be accepted before use (false for a
   * plain VM, whose host backs memory without the guest asking).
   */
  default boolean confidential() {
    return true;
  }

  /**
   * Accepts {@code [start, end)}; both are 4 KiB aligned and {@code start < end}.
   *
   * @param phase who is accepting: the stub uses early, per-page protocols on some platforms
   * @return the operations done and their simulated cost
   * @throws IllegalStateException if the platform cannot accept memory at all (NONE), which the
   *     kernel turns into a panic
   */
  AcceptOperations accept(long start, long end, AcceptPhase phase);
}
