package io.cvmsim.core.accept.spi;

/** Who accepted memory: the firmware, the EFI stub before ExitBootServices, or the kernel. */
public enum AcceptPhase {
  FIRMWARE,
  STUB,
  KERNEL
}
