package io.cvmsim.config;

import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code cvmsim.*} setting, bound and checked at start; {@code application.yaml} documents
 * each one. A value out of range stops the application with a message naming the setting.
 *
 * @param limits capacity limits ({@code cvmsim.limits.*})
 * @param jobs the job executor ({@code cvmsim.jobs.*})
 * @param defaultSeed the random seed of runs that give none
 * @param cost cost-model overrides ({@code cvmsim.cost.*}); unset fields keep the core's defaults
 * @param security the optional API token ({@code cvmsim.security.*})
 * @param debug self-checks ({@code cvmsim.debug.*})
 * @param state durable state ({@code cvmsim.state.*})
 */
@ConfigurationProperties("cvmsim")
@Validated
public record CvmsimProperties(
    @Valid @NotNull @DefaultValue Limits limits,
    @Valid @NotNull @DefaultValue Jobs jobs,
    @DefaultValue("42") long defaultSeed,
    @Valid @NotNull @DefaultValue Cost cost,
    @Valid @NotNull @DefaultValue Security security,
    @Valid @NotNull @DefaultValue Debug debug,
    @Valid @NotNull @DefaultValue State state) {

  /**
   * Capacity limits. Over a limit a request gets a 4xx, or 503 with {@code Retry-After}.
   *
   * @param maxVms live VMs
   * @param maxMemoryPerVm guest RAM of one VM
   * @param maxTotalMemory guest RAM of all live VMs together
   * @param maxBitmapBytes the unaccepted bitmap of one VM (16 MiB spans 128 TiB)
   * @param maxBatch blocks per allocation request and pfns per free request
   * @param maxRequestBytes the body of any request
   * @param maxAcceptLogEntries accept-log entries kept per VM, and returned per request
   * @param maxBatches batches (allocation requests) a VM remembers for {@code POST /frees
   *     {"batch"}}; older ones are forgotten
   * @param maxBatchBytes what a VM spends on remembering its batches' blocks (8 bytes per run of
   *     consecutive blocks); beyond it the oldest batches are forgotten
   * @param maxSnapshotBytes the bytes a snapshot to import or restore may inflate to (checked
   *     before it is inflated)
   */
  public record Limits(
      @Min(1) @DefaultValue("64") int maxVms,
      @NotNull @DefaultValue("4TiB") ByteSize maxMemoryPerVm,
      @NotNull @DefaultValue("64TiB") ByteSize maxTotalMemory,
      @NotNull @DefaultValue("16MiB") ByteSize maxBitmapBytes,
      @Min(1) @DefaultValue("100000") int maxBatch,
      @NotNull @DefaultValue("16MiB") ByteSize maxRequestBytes,
      @Min(1) @DefaultValue("100000") int maxAcceptLogEntries,
      @Min(1) @Max(GuestVm.MAX_BATCHES) @DefaultValue("1024") int maxBatches,
      @NotNull @DefaultValue("16MiB") ByteSize maxBatchBytes,
      @NotNull @DefaultValue("256MiB") ByteSize maxSnapshotBytes) {

    /** Checks the sizes. */
    public Limits {
      positive("cvmsim.limits.max-memory-per-vm", maxMemoryPerVm);
      positive("cvmsim.limits.max-total-memory", maxTotalMemory);
      positive("cvmsim.limits.max-bitmap-bytes", maxBitmapBytes);
      positive("cvmsim.limits.max-request-bytes", maxRequestBytes);
      positive("cvmsim.limits.max-batch-bytes", maxBatchBytes);
      positive("cvmsim.limits.max-snapshot-bytes", maxSnapshotBytes);
      if (maxMemoryPerVm != null
          && maxTotalMemory != null
          && maxMemoryPerVm.bytes() > maxTotalMemory.bytes()) {
        throw new IllegalArgumentException(
            "cvmsim.limits.max-memory-per-vm ("
                + maxMemoryPerVm
                + ") must not exceed cvmsim.limits.max-total-memory ("
                + maxTotalMemory
                + ")");
      }
    }

    /** Returns the registry's limits. */
    public VmLimits vmLimits() {
      return new VmLimits(
          maxVms, maxMemoryPerVm.bytes(), maxTotalMemory.bytes(), maxSnapshotBytes.bytes());
    }

    private static void positive(String name, ByteSize size) {
      if (size != null && size.bytes() == 0) {
        throw new IllegalArgumentException(name + " must be positive");
      }
    }
  }

  /**
   * The executor of long jobs (workloads, experiments).
   *
   * @param threads jobs that run at once
   * @param queueCapacity jobs that wait; beyond that a submission gets 503
   * @param maxFinishedExperiments finished experiment jobs kept (a VM's jobs stay until it goes)
   * @param syncWait how long a request that runs a job waits for it (the kernel comparison) before
   *     it answers 202 with the job's location instead of the result
   */
  public record Jobs(
      @Min(1) @Max(256) @DefaultValue("2") int threads,
      @Min(1) @DefaultValue("16") int queueCapacity,
      @Min(1) @DefaultValue("64") int maxFinishedExperiments,
      @NotNull @DefaultValue("60s") Duration syncWait) {}

  /**
   * Cost-model overrides, one per field of {@link AcceptCosts} and {@link BootCosts}, named as the
   * kebab-case of the field ({@code tdcall-nanos}, {@code memmap-init-nanos-per-page}). A field
   * left unset (null) keeps the core's documented default.
   */
  public record Cost(
      Long tdcallNanos,
      Long clearNanosPer4k,
      PageSize tdxHostMaxPageSize,
      Long snpVmgexitNanos,
      Long snpPvalidateNanos,
      Integer snpPscMaxEntries,
      PageSize snpHostMaxPageSize,
      Long firmwareFixedNanos,
      Long stubFixedNanos,
      Long decompressorFixedNanos,
      Long earlyKernelFixedNanos,
      Long userspaceFixedNanos,
      Long memmapInitNanosPerPage,
      Double deferredSerialFraction,
      Integer earlyAllocationsBase,
      Integer earlyAllocationsPerVcpu,
      ByteSize kernelImageBytes,
      ByteSize percpuBytesPerVcpu,
      ByteSize kernelInitBytes,
      ByteSize initrdBytes) {

    /** Checks the values by building both cost models (their constructors check them). */
    public Cost {
      acceptCosts(
          tdcallNanos,
          clearNanosPer4k,
          tdxHostMaxPageSize,
          snpVmgexitNanos,
          snpPvalidateNanos,
          snpPscMaxEntries,
          snpHostMaxPageSize);
      bootCosts(
          firmwareFixedNanos,
          stubFixedNanos,
          decompressorFixedNanos,
          earlyKernelFixedNanos,
          userspaceFixedNanos,
          memmapInitNanosPerPage,
          deferredSerialFraction,
          earlyAllocationsBase,
          earlyAllocationsPerVcpu,
          kernelImageBytes,
          percpuBytesPerVcpu,
          kernelInitBytes,
          initrdBytes);
    }

    /** Returns the acceptance cost model: the core's defaults with these overrides. */
    public AcceptCosts acceptCosts() {
      return acceptCosts(
          tdcallNanos,
          clearNanosPer4k,
          tdxHostMaxPageSize,
          snpVmgexitNanos,
          snpPvalidateNanos,
          snpPscMaxEntries,
          snpHostMaxPageSize);
    }

    /** Returns the boot cost model: the core's defaults with these overrides. */
    public BootCosts bootCosts() {
      return bootCosts(
          firmwareFixedNanos,
          stubFixedNanos,
          decompressorFixedNanos,
          earlyKernelFixedNanos,
          userspaceFixedNanos,
          memmapInitNanosPerPage,
          deferredSerialFraction,
          earlyAllocationsBase,
          earlyAllocationsPerVcpu,
          kernelImageBytes,
          percpuBytesPerVcpu,
          kernelInitBytes,
          initrdBytes);
    }

    private static AcceptCosts acceptCosts(
        Long tdcallNanos,
        Long clearNanosPer4k,
        PageSize tdxHostMaxPageSize,
        Long snpVmgexitNanos,
        Long snpPvalidateNanos,
        Integer snpPscMaxEntries,
        PageSize snpHostMaxPageSize) {
      AcceptCosts d = AcceptCosts.DEFAULTS;
      return new AcceptCosts(
          or(tdcallNanos, d.tdcallNanos()),
          or(clearNanosPer4k, d.clearNanosPer4k()),
          or(tdxHostMaxPageSize, d.tdxHostMaxPageSize()),
          or(snpVmgexitNanos, d.snpVmgexitNanos()),
          or(snpPvalidateNanos, d.snpPvalidateNanos()),
          or(snpPscMaxEntries, d.snpPscMaxEntries()),
          or(snpHostMaxPageSize, d.snpHostMaxPageSize()));
    }

    private static BootCosts bootCosts(
        Long firmwareFixedNanos,
        Long stubFixedNanos,
        Long decompressorFixedNanos,
        Long earlyKernelFixedNanos,
        Long userspaceFixedNanos,
        Long memmapInitNanosPerPage,
        Double deferredSerialFraction,
        Integer earlyAllocationsBase,
        Integer earlyAllocationsPerVcpu,
        ByteSize kernelImageBytes,
        ByteSize percpuBytesPerVcpu,
        ByteSize kernelInitBytes,
        ByteSize initrdBytes) {
      BootCosts d = BootCosts.DEFAULTS;
      return new BootCosts(
          or(firmwareFixedNanos, d.firmwareFixedNanos()),
          or(stubFixedNanos, d.stubFixedNanos()),
          or(decompressorFixedNanos, d.decompressorFixedNanos()),
          or(earlyKernelFixedNanos, d.earlyKernelFixedNanos()),
          or(userspaceFixedNanos, d.userspaceFixedNanos()),
          or(memmapInitNanosPerPage, d.memmapInitNanosPerPage()),
          or(deferredSerialFraction, d.deferredSerialFraction()),
          or(earlyAllocationsBase, d.earlyAllocationsBase()),
          or(earlyAllocationsPerVcpu, d.earlyAllocationsPerVcpu()),
          kernelImageBytes == null ? d.kernelImageBytes() : kernelImageBytes.bytes(),
          percpuBytesPerVcpu == null ? d.percpuBytesPerVcpu() : percpuBytesPerVcpu.bytes(),
          kernelInitBytes == null ? d.kernelInitBytes() : kernelInitBytes.bytes(),
          initrdBytes == null ? d.initrdBytes() : initrdBytes.bytes());
    }

    private static <T> T or(T value, T fallback) {
      return value != null ? value : fallback;
    }
  }

  /**
   * The optional bearer token.
   *
   * @param apiToken the token mutating requests on /api/** must carry; empty: no token, the API is
   *     open
   * @param protectReads also require the token for reads on /api/** (health and metrics stay open)
   */
  public record Security(@DefaultValue("") String apiToken, boolean protectReads) {

    /** Returns whether a token is configured. */
    public boolean enabled() {
      return apiToken != null && !apiToken.isEmpty();
    }
  }

  /**
   * Self-checks.
   *
   * @param checkInvariants check every invariant of a guest after every command that changes it
   *     (slow: each check walks the guest's structures); a broken invariant fails the command with
   *     a 500 naming it
   */
  public record Debug(@DefaultValue("false") boolean checkInvariants) {}

  /**
   * Durable state: with a directory, every VM (its snapshot) and its jobs' records are written
   * there after changes and at shutdown, and read back at start.
   *
   * @param dir the state directory; empty: off, VMs live in memory only
   * @param interval how often VMs that changed are written (a SIGKILL loses at most this much)
   */
  public record State(
      @DefaultValue("") String dir, @NotNull @DefaultValue("30s") Duration interval) {

    /** Checks the interval. */
    public State {
      if (interval != null && (interval.isNegative() || interval.toMillis() < 100)) {
        throw new IllegalArgumentException(
            "cvmsim.state.interval must be at least 100ms, got " + interval);
      }
    }

    /** Returns whether durable state is on. */
    public boolean enabled() {
      return dir != null && !dir.isBlank();
    }
  }

  /** Returns the settings every guest is built with. */
  public VmSettings vmSettings() {
    return new VmSettings(
        cost.acceptCosts(),
        cost.bootCosts(),
        limits.maxBitmapBytes().bytes(),
        limits.maxAcceptLogEntries(),
        debug.checkInvariants(),
        limits.maxBatches(),
        limits.maxBatchBytes().bytes());
  }
}
