package io.cvmsim.core.accept;

import io.cvmsim.core.accept.spi.AcceptOperations;
import io.cvmsim.core.accept.spi.AcceptPhase;

/** Hears about every {@code arch_accept_memory()} call, from any thread, after it completed. */
@FunctionalInterface
public interface AcceptListener {

  /** Called once per platform call with what it accepted and what it cost. */
  void accepted(
      AcceptPhase phase, AcceptTrigger trigger, long start, long end, AcceptOperations ops);
}
