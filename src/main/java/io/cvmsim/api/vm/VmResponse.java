package io.cvmsim.api.vm;

import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmViews;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A VM at a glance: the answer of create, get and list. */
@Schema(description = "A VM at a glance")
public record VmResponse(
    @Schema(description = "The server's id (URL-safe)", example = "vm-k3m9x2p7qa") String id,
    @Schema(description = "The user's label, or null", example = "tdx-64g") String name,
    @Schema(description = "The platform", example = "TDX") Platform platform,
    @Schema(description = "The kernel model", example = "6.5") String kernel,
    @Schema(description = "accept_memory=", example = "LAZY") AcceptPolicy acceptPolicy,
    @Schema(description = "Guest RAM in bytes", example = "68719476736") long memoryBytes,
    @Schema(description = "vCPUs", example = "4") int vcpus,
    @Schema(description = "How far the VM has booted", example = "KERNEL") BootStage stage,
    @Schema(description = "When it was created (ISO-8601)", example = "2025-01-01T12:00:00Z")
        Instant createdAt,
    @Schema(description = "The memory block") Memory memory) {

  /**
   * The memory block of a summary, in bytes.
   *
   * @param totalBytes MemTotal once the kernel runs, else the map's usable RAM
   * @param freeBytes MemFree (parked unaccepted memory included, as the kernel counts it)
   * @param unacceptedBytes the meminfo Unaccepted line (before the kernel: the bitmap's)
   * @param bitmapUnacceptedBytes the bytes the unaccepted bitmap still marks
   * @param hostBackedBytes private memory the hypervisor had to back
   */
  @Schema(description = "Memory at a glance, in bytes")
  public record Memory(
      @Schema(
              description = "MemTotal in bytes (before the kernel: the map's usable RAM)",
              example = "67108864000")
          long totalBytes,
      @Schema(
              description = "MemFree in bytes, parked unaccepted memory included",
              example = "66000000000")
          long freeBytes,
      @Schema(
              description = "The Unaccepted line of /proc/meminfo, in bytes",
              example = "64000000000")
          long unacceptedBytes,
      @Schema(description = "Bytes the unaccepted bitmap still marks", example = "64000000000")
          long bitmapUnacceptedBytes,
      @Schema(
              description = "Private memory the hypervisor had to back, in bytes",
              example = "3000000000")
          long hostBackedBytes) {}

  /** Returns the answer for a core summary. */
  public static VmResponse of(VmViews.Summary s) {
    VmViews.Memory m = s.memory();
    return new VmResponse(
        s.id(),
        s.name(),
        s.platform(),
        s.kernel(),
        s.acceptPolicy(),
        s.memoryBytes(),
        s.vcpus(),
        s.stage(),
        s.createdAt(),
        new Memory(
            m.totalBytes(),
            m.freeBytes(),
            m.unacceptedBytes(),
            m.bitmapUnacceptedBytes(),
            m.hostBackedBytes()));
  }
}
