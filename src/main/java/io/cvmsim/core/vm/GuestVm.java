package io.cvmsim.core.vm;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.accept.AcceptListener;
import io.cvmsim.core.accept.AcceptLog;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.AcceptedRange;
import io.cvmsim.core.accept.HostMemory;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptPlatform;
import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.boot.BootPhase;
import io.cvmsim.core.boot.BootSequence;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.firmware.EfiStub;
import io.cvmsim.core.firmware.OvmfLayout;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.LongIntMap;
import io.cvmsim.core.memory.MappingKind;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.memory.WatermarkLevel;
import io.cvmsim.core.mm.Invariants;
import io.cvmsim.core.mm.PageAllocator;
import io.cvmsim.core.stats.MemoryMapView;
import io.cvmsim.core.stats.MemorySnapshot;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One simulated guest: its firmware map, unaccepted table, platform, accept log, host view, boot
 * and page allocator, wired together behind one lock (like the kernel's zone lock, but for the
 * whole guest). Commands on one guest are serialized; different guests run in parallel. Readers get
 * immutable snapshots; {@link #latestSnapshot()} never waits for a running command.
 */
public final class GuestVm {

  /**
   * The CPU that allocations and frees asked for over the API run on (a process pinned to CPU 0):
   * their blocks go through CPU 0's per-cpu lists.
   */
  public static final int API_CPU = 0;

  /** The most blocks one allocation request may ask for (the API enforces its own limit too). */
  public static final int MAX_COUNT = 1 << 24;

  /** The most batches a guest can remember (the allocator's batch tags). */
  public static final int MAX_BATCHES = PageAllocator.MAX_BATCH_TAG;

  // Package-private for VmSnapshot, which reads and restores them under the lock.
  final ReentrantLock lock = new ReentrantLock();
  private final String id;
  private final VmSpec spec;
  private final Instant createdAt;
  final EfiMemoryMap map;
  final AcceptCosts acceptCosts;
  final BootCosts bootCosts;
  private final AcceptPlatform platform;
  final AcceptLog log;
  final HostMemory host;
  final BootSequence boot;
  BootStage stage;
  UnacceptedMemory unaccepted;
  PageAllocator allocator;
  private boolean deleted;
  private volatile long changes;
  private volatile MemorySnapshot snapshot;
  private long snapshotVersion = -1;
  private final long[] directMap;
  private final GuestMemory memoryOps = new Ops();
  private final boolean selfCheck;
  private final Batches batches;

  private GuestVm(String id, VmSpec spec, VmSettings settings, Instant now) {
    this(
        id,
        spec,
        settings,
        now,
        buildMap(spec),
        new HostMemory(),
        new AcceptLog(settings.acceptLogCapacity()));
  }

  /**
   * Creates a guest over {@code map} that has not booted yet, or whose boot {@link VmSnapshot}
   * restores, with the host's side and accept log given.
   */
  GuestVm(
      String id,
      VmSpec spec,
      VmSettings settings,
      Instant createdAt,
      EfiMemoryMap map,
      HostMemory host,
      AcceptLog log) {
    this.id = id;
    this.spec = spec;
    this.createdAt = createdAt;
    this.map = map;
    this.host = host;
    this.log = log;
    this.acceptCosts = settings.acceptCosts();
    this.bootCosts = settings.bootCosts();
    long bitmapBytes = EfiStub.bitmapBytes(map, Sizes.UNIT_SIZE);
    if (spec.platform().confidential() && bitmapBytes > settings.maxBitmapBytes()) {
      throw SimulatorException.tooLarge(
          spec.efiMemoryMap() != null ? "efiMemoryMap" : "memory",
          "the unaccepted bitmap would be "
              + Sizes.format(bitmapBytes)
              + " (it spans every address from the lowest to the highest unaccepted byte),"
              + " over the configured limit cvmsim.limits.max-bitmap-bytes of "
              + Sizes.format(settings.maxBitmapBytes()));
    }
    AcceptCosts costs = settings.acceptCosts();
    if (spec.hostPageSize() != null) {
      costs = costs.withHostMaxPageSize(spec.hostPageSize());
    }
    this.platform = spec.platform().create(costs);
    AcceptListener listener =
        (phase, trigger, start, end, ops) -> {
          host.accepted(phase, trigger, start, end, ops);
          log.accepted(phase, trigger, start, end, ops);
        };
    this.boot =
        new BootSequence(
            map,
            platform,
            listener,
            host,
            settings.bootCosts(),
            spec.kernelModel(),
            spec.acceptPolicy() == AcceptPolicy.EAGER,
            spec.vcpus(),
            spec.khugepaged());
    this.directMap = DirectMap.of(map);
    this.selfCheck = settings.checkInvariants();
    this.batches = new Batches(settings.maxBatches(), settings.maxBatchBytes());
  }

  /**
   * Creates a guest and boots it as far as {@code spec.bootTo()} says.
   *
   * @throws SimulatorException if the spec is impossible (4xx); nothing is left behind
   */
  public static GuestVm create(String id, VmSpec spec, VmSettings settings) {
    GuestVm vm = new GuestVm(id, spec, settings, Instant.now());
    vm.boot.firmware();
    vm.stage = BootStage.FIRMWARE;
    if (spec.bootTo().compareTo(BootStage.EFI_STUB) >= 0) {
      vm.unaccepted = vm.boot.efiStub();
      vm.stage = BootStage.EFI_STUB;
    }
    if (spec.bootTo() == BootStage.KERNEL) {
      vm.allocator = vm.boot.kernel();
      vm.stage = BootStage.KERNEL;
    }
    vm.changed();
    return vm;
  }

  private static EfiMemoryMap buildMap(VmSpec spec) {
    if (spec.efiMemoryMap() != null) {
      return spec.efiMemoryMap();
    }
    long fw =
        spec.firmwareAcceptedBytes() != null
            ? spec.firmwareAcceptedBytes()
            : Math.min(VmSpec.DEFAULT_FIRMWARE_ACCEPTED, spec.memoryBytes());
    return OvmfLayout.generate(spec.memoryBytes(), fw, spec.platform().confidential());
  }

  // ------------------------------------------------------------------ identity

  /** Returns the server's id. */
  public String id() {
    return id;
  }

  /** Returns the user's label, or null. */
  public String name() {
    return spec.name();
  }

  /** Returns what the guest was created from. */
  public VmSpec spec() {
    return spec;
  }

  /** Returns when it was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Returns the firmware's memory map (immutable). */
  public EfiMemoryMap memoryMap() {
    return map;
  }

  // ------------------------------------------------------------------ boot

  /** Returns how far the guest has booted. */
  public BootStage stage() {
    lock.lock();
    try {
      checkLive();
      return stage;
    } finally {
      lock.unlock();
    }
  }

  /** Continues a stopped boot to the kernel (POST /boot); a booted guest stays as it is. */
  public void bootToKernel() {
    lock.lock();
    try {
      checkLive();
      if (stage == BootStage.FIRMWARE) {
        unaccepted = boot.efiStub();
        stage = BootStage.EFI_STUB;
      }
      if (stage == BootStage.EFI_STUB) {
        allocator = boot.kernel();
        stage = BootStage.KERNEL;
      }
      changed();
    } finally {
      lock.unlock();
    }
  }

  /** Returns the boot timeline so far. */
  public VmViews.Boot bootTimeline() {
    lock.lock();
    try {
      checkLive();
      List<BootPhase> phases = boot.phases();
      long total = 0;
      long userspaceAt = -1;
      for (BootPhase p : phases) {
        if (p.name().equals("userspace")) {
          userspaceAt = total;
        }
        total += p.simulatedNanos();
      }
      return new VmViews.Boot(phases, total, userspaceAt);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ firmware and acceptance

  /** Returns the unaccepted table as the kernel sees it now. */
  public VmViews.Table unacceptedTable() {
    lock.lock();
    try {
      checkLive();
      if (unaccepted == null || !unaccepted.hasTable()) {
        return new VmViews.Table(false, 0, 0, 0, 0, List.of(), 0, -1);
      }
      UnacceptedTable t = unaccepted.table();
      return new VmViews.Table(
          true,
          t.version(),
          t.unitSize(),
          t.physBase(),
          t.sizeBytes(),
          unaccepted.unacceptedRuns(),
          unaccepted.unacceptedBytes(),
          boot.tablePhys());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Models an explicit {@code accept_memory(start, end)}.
   *
   * @throws SimulatorException 409 before the EFI stub ran; 400 for a bad range
   */
  public VmViews.Accepted accept(long start, long end) {
    checkRange(start, end);
    lock.lock();
    try {
      checkLive();
      requireStub();
      List<AcceptedRange> done = unaccepted.acceptMemory(start, end, AcceptTrigger.EXPLICIT);
      snapshotVersion = -1;
      changed();
      return new VmViews.Accepted(done, unaccepted.unacceptedBytes());
    } finally {
      lock.unlock();
    }
  }

  /** Models {@code range_contains_unaccepted_memory(start, end)}. */
  public boolean containsUnaccepted(long start, long end) {
    checkRange(start, end);
    lock.lock();
    try {
      checkLive();
      requireStub();
      return unaccepted.rangeContainsUnacceptedMemory(start, end);
    } finally {
      lock.unlock();
    }
  }

  private static void checkRange(long start, long end) {
    if (start < 0 || end < 0 || start >= Sizes.MAX_PHYS_ADDR || end > Sizes.MAX_PHYS_ADDR) {
      throw SimulatorException.badRequest(
          start < 0 || start >= Sizes.MAX_PHYS_ADDR ? "start" : "end",
          "start and end must lie within the 52-bit physical address space [0, 0x10000000000000]");
    }
    if (start >= end) {
      throw SimulatorException.badRequest("end", "start must be below end");
    }
  }

  private void requireStub() {
    if (unaccepted == null) {
      throw SimulatorException.conflict(
          "the guest is stopped at FIRMWARE: the EFI stub has not built the unaccepted table yet;"
              + " POST /boot to continue");
    }
  }

  /** Returns accept-log entries after {@code afterSeq}, at most {@code limit}. */
  public List<AcceptLog.Entry> acceptLog(long afterSeq, int limit) {
    lock.lock();
    try {
      checkLive();
      return log.after(afterSeq, limit);
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many accept-log entries were dropped to stay within capacity. */
  public long acceptLogDropped() {
    return log.dropped();
  }

  /** Returns the hypervisor's view. */
  public VmViews.Host host() {
    lock.lock();
    try {
      checkLive();
      return hostView();
    } finally {
      lock.unlock();
    }
  }

  private VmViews.Host hostView() {
    long[] byTrigger = new long[AcceptTrigger.values().length];
    for (AcceptTrigger t : AcceptTrigger.values()) {
      byTrigger[t.ordinal()] = host.acceptedBytes(t);
    }
    return new VmViews.Host(
        host.backedBytes(),
        host.operations(PageSize.SIZE_4K),
        host.operations(PageSize.SIZE_2M),
        host.operations(PageSize.SIZE_1G),
        host.failedOperations(PageSize.SIZE_2M),
        host.failedOperations(PageSize.SIZE_1G),
        host.hypervisorExits(),
        host.calls(),
        host.simulatedNanos(),
        byTrigger);
  }

  // ------------------------------------------------------------------ page allocator

  /**
   * Allocates {@code count} blocks of {@code order} with {@code gfp} as a new batch; what cannot be
   * allocated is counted in {@code failed}. The guest remembers the batch (see {@link Batches})
   * until it is freed with {@link #freeBatch} or forgotten for newer ones.
   *
   * @throws SimulatorException 409 before the kernel runs; 400 for a bad order or count
   */
  public VmViews.Batch allocate(Gfp gfp, int order, int count) {
    if (order < 0 || order > Sizes.MAX_ORDER) {
      throw SimulatorException.badRequest("order", "order must be between 0 and 10, got " + order);
    }
    if (count < 1 || count > MAX_COUNT) {
      throw SimulatorException.badRequest("count", "count must be between 1 and " + MAX_COUNT);
    }
    lock.lock();
    try {
      checkLive();
      requireKernel();
      long id = batches.open();
      long[] pfns = new long[count];
      int n = 0;
      allocator.tagAllocations(batches.slot(id));
      try {
        for (int i = 0; i < count; i++) {
          // the handle: the head pfn the block got, which names it wherever compaction moves it
          long pfn = allocator.allocPages(API_CPU, gfp, order);
          if (pfn >= 0) {
            pfns[n++] = pfn;
          }
        }
      } finally {
        allocator.tagAllocations(0);
        batches.close(id, order, pfns, n);
      }
      changed();
      return new VmViews.Batch(
          id,
          order,
          gfp.migrateType().procName(),
          n == count ? pfns : Arrays.copyOf(pfns, n),
          count - n);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Frees what is left of batch {@code id}: every block it got that is still allocated (blocks
   * freed by pfn since are skipped), and forgets the batch.
   *
   * @return the blocks freed
   * @throws SimulatorException 404 for a batch the guest does not remember; 409 before the kernel
   *     runs
   */
  public int freeBatch(long id) {
    lock.lock();
    try {
      checkLive();
      requireKernel();
      int slot = batches.find(id);
      if (slot < 0) {
        throw SimulatorException.notFound(
            "batch "
                + id
                + " is not known: it was freed, never made, or forgotten (a VM remembers its"
                + " latest "
                + batches.capacity()
                + " batches)");
      }
      long stride = 1L << batches.order(slot);
      int freed = 0;
      for (long run : batches.runs(slot)) {
        long pfn = Batches.first(run);
        for (int b = Batches.blocks(run); b > 0; b--, pfn += stride) {
          if (allocator.batchOf(pfn) == slot) {
            allocator.freePages(API_CPU, pfn);
            freed++;
          }
        }
      }
      batches.forget(slot);
      changed();
      return freed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Frees the allocations whose heads are {@code pfns}: all of them, or none if any is not the head
   * of a live allocation (or appears twice).
   *
   * @throws SimulatorException 422 naming the first bad pfn; 409 before the kernel runs
   */
  public int free(long[] pfns) {
    lock.lock();
    try {
      checkLive();
      requireKernel();
      LongIntMap seen = new LongIntMap(pfns.length);
      for (int i = 0; i < pfns.length; i++) {
        long pfn = pfns[i];
        if (pfn < 0 || !allocator.isFreeable(pfn)) {
          throw SimulatorException.unprocessable(
              "pfns[" + i + "]",
              "pfn "
                  + pfn
                  + " (0x"
                  + Long.toHexString(Math.max(0, pfn))
                  + ") is not the head of a live allocation; nothing was freed");
        }
        if (seen.containsKey(pfn)) {
          throw SimulatorException.unprocessable(
              "pfns[" + i + "]", "pfn " + pfn + " appears twice; nothing was freed");
        }
        seen.put(pfn, i);
      }
      for (long pfn : pfns) {
        allocator.freePages(API_CPU, pfn);
      }
      changed();
      return pfns.length;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} under the guest's lock with its memory, for workloads that drive many
   * operations at once. {@code work} must not keep the {@link GuestMemory} beyond the call.
   *
   * @throws SimulatorException 409 before the kernel runs; 404 once deleted
   */
  public <T> T withMemory(Function<GuestMemory, T> work) {
    lock.lock();
    try {
      checkLive();
      requireKernel();
      T result = work.apply(memoryOps);
      changed();
      return result;
    } finally {
      lock.unlock();
    }
  }

  private void requireKernel() {
    if (allocator == null) {
      throw SimulatorException.conflict(
          "the guest is stopped at "
              + stage
              + ": there is no page allocator yet; POST /boot to boot the kernel");
    }
  }

  /** Returns a fresh snapshot of the guest's memory (taking the lock). */
  public MemorySnapshot memory() {
    lock.lock();
    try {
      checkLive();
      requireKernel();
      return refreshSnapshot();
    } finally {
      lock.unlock();
    }
  }

  private MemorySnapshot refreshSnapshot() {
    long v = allocator.version();
    if (snapshot == null || v != snapshotVersion) {
      long percpuPages =
          Sizes.alignUp((long) spec.vcpus() * 256 * Sizes.KIB, 2 * Sizes.MIB) >> Sizes.PAGE_SHIFT;
      snapshot = allocator.snapshot(percpuPages, directMap, spec.vcpus());
      snapshotVersion = v;
    }
    return snapshot;
  }

  /**
   * Returns the latest snapshot without waiting: refreshed if the lock is free, otherwise the
   * previous one. Null before the kernel runs.
   */
  public MemorySnapshot latestSnapshot() {
    if (lock.tryLock()) {
      try {
        if (!deleted && allocator != null) {
          refreshSnapshot();
        }
      } finally {
        lock.unlock();
      }
    }
    return snapshot;
  }

  /** Returns the guest at a glance. */
  public VmViews.Summary summary() {
    lock.lock();
    try {
      checkLive();
      long bitmapBytes = unaccepted == null ? 0 : unaccepted.unacceptedBytes();
      VmViews.Memory mem;
      if (allocator != null) {
        MemorySnapshot s = refreshSnapshot();
        mem =
            new VmViews.Memory(
                s.totalPages() << Sizes.PAGE_SHIFT,
                s.freePages() << Sizes.PAGE_SHIFT,
                s.unacceptedPages() << Sizes.PAGE_SHIFT,
                bitmapBytes,
                host.backedBytes());
      } else {
        mem =
            new VmViews.Memory(
                map.usableRamBytes(),
                0,
                unaccepted == null ? map.bytesOf(EfiMemoryType.UNACCEPTED) : bitmapBytes,
                bitmapBytes,
                host.backedBytes());
      }
      return new VmViews.Summary(
          id,
          spec.name(),
          spec.platform(),
          spec.kernel(),
          spec.acceptPolicy(),
          spec.ramBytes(),
          spec.vcpus(),
          stage,
          createdAt,
          mem);
    } finally {
      lock.unlock();
    }
  }

  /** The most buckets a memory-map view may have. */
  public static final int MAX_MAP_BUCKETS = 65_536;

  /**
   * Returns the physical address space {@code [from, to)} summarised into {@code buckets} buckets.
   * Its cost follows the structures, not the guest's size: map descriptors, memblock reservations,
   * bitmap runs, parked runs, free blocks and allocations.
   *
   * @throws SimulatorException 400 for an empty or inverted range or a bad bucket count
   */
  public MemoryMapView memoryMapView(long from, long to, int buckets) {
    if (from < 0 || to > Sizes.MAX_PHYS_ADDR || from >= to) {
      throw SimulatorException.badRequest(
          "to", "the range must satisfy 0 <= from < to <= 2^52, got [" + from + ", " + to + ")");
    }
    if (buckets < 1 || buckets > MAX_MAP_BUCKETS) {
      throw SimulatorException.badRequest(
          "buckets", "buckets must be between 1 and " + MAX_MAP_BUCKETS + ", got " + buckets);
    }
    lock.lock();
    try {
      checkLive();
      return MemoryMapScan.scan(map, boot.memblock(), unaccepted, allocator, from, to, buckets);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ lifecycle and checks

  /** Marks the guest deleted: every later call answers 404. */
  public void delete() {
    lock.lock();
    try {
      deleted = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many commands have changed the guest since it was created or restored: a saver
   * writes only guests whose count moved. Read without the lock.
   */
  public long changes() {
    return changes;
  }

  /**
   * Returns the guest's whole state as a snapshot ({@link VmSnapshot}, docs/SNAPSHOT.md). The state
   * is copied under the lock; compressing it is not.
   *
   * @throws SimulatorException 404 once deleted
   */
  public byte[] snapshot() {
    return VmSnapshot.write(this);
  }

  /** Returns whether the guest was deleted. */
  public boolean isDeleted() {
    return deleted;
  }

  void checkLive() {
    if (deleted) {
      throw SimulatorException.notFound("VM " + id + " was deleted");
    }
  }

  /**
   * Checks every invariant of the guest and throws {@link IllegalStateException} naming the first
   * that does not hold.
   */
  public void checkInvariants() {
    lock.lock();
    try {
      checkLive();
      checkInvariantsLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * After a command that changed the guest: counts the change, and checks the guest with
   * cvmsim.debug.check-invariants.
   */
  private void changed() {
    changes++;
    if (selfCheck) {
      checkInvariantsLocked();
    }
  }

  void checkInvariantsLocked() {
    if (allocator != null) {
      Invariants.check(allocator);
    }
    batches.checkInvariants();
    long accepted = 0;
    for (AcceptTrigger t : AcceptTrigger.values()) {
      accepted += host.acceptedBytes(t);
    }
    if (spec.platform().confidential() && accepted != host.backedBytes()) {
      throw new IllegalStateException("host backed bytes differ from accepted bytes");
    }
    if (log.totalCalls() != host.calls()) {
      throw new IllegalStateException(
          "accept log has " + log.totalCalls() + " calls, host saw " + host.calls());
    }
  }

  /** Returns an estimate of the heap this guest holds, in bytes. */
  public long heapBytes() {
    lock.lock();
    try {
      long b = 2048 + log.heapBytes() + 16L * host.rangeCount();
      if (unaccepted != null && unaccepted.hasTable()) {
        b += unaccepted.table().bitmap().heapBytes();
      }
      if (allocator != null) {
        b += allocator.heapBytes();
      }
      return b + batches.heapBytes();
    } finally {
      lock.unlock();
    }
  }

  /** The guest's memory as workloads see it, over the allocator; used under the lock only. */
  private final class Ops implements GuestMemory {
    @Override
    public int cpus() {
      return allocator.cpus();
    }

    @Override
    public long alloc(int cpu, Gfp gfp, int order) {
      return allocator.allocPages(cpu, gfp, order);
    }

    @Override
    public int free(int cpu, long pfn) {
      return allocator.freePages(cpu, pfn);
    }

    @Override
    public int orderOf(long handle) {
      return allocator.allocationOrder(handle);
    }

    @Override
    public long headPfn(long handle) {
      return allocator.headPfn(handle);
    }

    @Override
    public boolean setCompaction(boolean enabled) {
      boolean was = allocator.compactionEnabled();
      allocator.setCompactionEnabled(enabled);
      return was;
    }

    @Override
    public long freePages() {
      return allocator.nrFreePages();
    }

    @Override
    public long managedPages() {
      return allocator.managedPages();
    }

    @Override
    public long watermarkPages(WatermarkLevel level) {
      return allocator.watermarkPages(level);
    }

    @Override
    public long liveAllocations() {
      return allocator.liveAllocations();
    }

    @Override
    public void kswapdWakeFromTrace() {
      allocator.kswapdWakeFromTrace();
    }

    @Override
    public void kswapdSleepFromTrace() {
      allocator.kswapdSleepFromTrace();
    }

    @Override
    public int createMapping(MappingKind kind) {
      return allocator.createMapping(kind);
    }

    @Override
    public long addToMapping(int cpu, int mapping, int index, Gfp gfp, boolean dirty) {
      return allocator.addToMapping(cpu, mapping, index, gfp, dirty);
    }

    @Override
    public boolean touchMapping(int mapping, int index, boolean write) {
      return allocator.touchMapping(mapping, index, write);
    }

    @Override
    public boolean removeFromMapping(int cpu, int mapping, int index) {
      return allocator.removeFromMapping(cpu, mapping, index);
    }

    @Override
    public void deleteMapping(int cpu, int mapping) {
      allocator.deleteMapping(cpu, mapping);
    }

    @Override
    public long mappingPages(int mapping) {
      return allocator.mappingPages(mapping);
    }
  }
}
