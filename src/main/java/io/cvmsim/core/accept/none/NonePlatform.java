package io.cvmsim.core.accept.none;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.accept.spi.AcceptPlatform;

/**
 * A VM without memory encryption. It never has unaccepted memory, so nothing ever calls {@link
 * #accept}; if something did, the kernel would panic with "Cannot accept memory: unknown platform"
 * (arch/x86/include/asm/unaccepted_memory.h), and so does this.
 */
public final class NonePlatform implements AcceptPlatform {

  @Override
  public String name() {
    return "NONE";
  }

  @Override
  public boolean confidential() {
    return false;
  }

  @Override
  public AcceptOperations accept(long start, long end, AcceptPhase phase) {
    throw new IllegalStateException("Cannot accept memory: unknown platform");
  }
}
