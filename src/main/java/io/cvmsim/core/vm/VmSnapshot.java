package io.cvmsim.core.vm;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.accept.AcceptLog;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.accept.HostMemory;
import io.cvmsim.core.accept.UnacceptedMemory;
import io.cvmsim.core.accept.spi.AcceptCosts;
import io.cvmsim.core.accept.spi.AcceptPhase;
import io.cvmsim.core.boot.BootCosts;
import io.cvmsim.core.boot.BootPhase;
import io.cvmsim.core.boot.BootSequence;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.firmware.EfiStub;
import io.cvmsim.core.firmware.UnacceptedTable;
import io.cvmsim.core.firmware.UnitBitmap;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.AllocatorState;
import io.cvmsim.core.mm.Memblock;
import io.cvmsim.core.mm.PageAllocator;
import io.cvmsim.core.snapshot.Section;
import io.cvmsim.core.snapshot.SectionId;
import io.cvmsim.core.snapshot.SectionInput;
import io.cvmsim.core.snapshot.SectionOutput;
import io.cvmsim.core.snapshot.SnapshotFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A guest's whole state as a snapshot (docs/SNAPSHOT.md): who it is, what it was created from, its
 * memory map and cost models, its boot, the host's side, the accept log, the unaccepted table, and
 * once the kernel runs memblock and the page allocator ({@link AllocatorState}). There is no random
 * state to carry: a guest draws no random numbers; workloads draw from their own seeded generators,
 * inside their jobs.
 *
 * <p>Restoring rebuilds each layer through its own constructors and operations, checking every
 * value against the layers below it (the map against the spec, the table against the map and the
 * host, memblock against the map's RAM, the allocator's zones against memblock), then the guest's
 * and the allocator's invariants. Anything that does not fit is a 4xx and builds nothing that
 * stays.
 */
final class VmSnapshot {

  static final int SECTION_VERSION = 1;

  /**
   * The layout version of COSTS and BOOT since the boot frees the initrd and the image's init
   * sections late: COSTS ends with kernelInitBytes and initrdBytes, BOOT with where the initrd lay.
   * Version 1 of both is still read, as a boot without late frees (0, 0, no initrd).
   */
  static final int LATE_FREES_VERSION = 2;

  /** Ids are URL- and file-name-safe: what the registry generates, and nothing else. */
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private static final int MAX_NAME = 256;
  private static final int MAX_PHASES = 64;

  private VmSnapshot() {}

  /** Who a snapshot's guest is: read first, so a registry can admit it before the rest. */
  record Head(String id, VmSpec spec, Instant createdAt) {}

  /** Decides whether a guest may be restored, and as whom. */
  @FunctionalInterface
  interface Admission {
    /** Returns the id and spec to restore the guest as, or throws to refuse it. */
    Head admit(Head head);
  }

  // ------------------------------------------------------------------ writing

  /** Returns the snapshot of {@code vm}: sections copied under its lock, compressed outside. */
  static byte[] write(GuestVm vm) {
    List<Section> sections = new ArrayList<>();
    vm.lock.lock();
    try {
      vm.checkLive();
      sections(vm, sections);
    } finally {
      vm.lock.unlock();
    }
    return SnapshotFormat.encode(sections);
  }

  private static void sections(GuestVm vm, List<Section> out) {
    out.add(identity(vm));
    out.add(spec(vm.spec()));
    out.add(memoryMap(vm.map));
    out.add(costs(vm.acceptCosts, vm.bootCosts));
    out.add(boot(vm));
    out.add(host(vm.host.state()));
    out.add(acceptLog(vm.log));
    if (vm.unaccepted != null) {
      out.add(unaccepted(vm.unaccepted));
    }
    if (vm.allocator != null) {
      out.add(memblock(vm.boot.memblock()));
      AllocatorState.write(vm.allocator, out);
    }
  }

  private static Section identity(GuestVm vm) {
    SectionOutput o = new SectionOutput();
    o.str(vm.id());
    o.svar(vm.createdAt().getEpochSecond()).uvar(vm.createdAt().getNano());
    return o.toSection(SectionId.IDENTITY, SECTION_VERSION);
  }

  private static Section spec(VmSpec s) {
    SectionOutput o = new SectionOutput();
    o.optStr(s.name()).str(s.platform().name()).str(s.kernel()).str(s.acceptPolicy().name());
    o.optLong(s.memoryBytes()).optLong(s.firmwareAcceptedBytes());
    o.uvar(s.vcpus()).str(s.bootTo().name());
    o.optStr(s.hostPageSize() == null ? null : s.hostPageSize().label());
    o.bool(s.khugepaged());
    return o.toSection(SectionId.SPEC, SECTION_VERSION);
  }

  private static Section memoryMap(EfiMemoryMap map) {
    SectionOutput o = new SectionOutput();
    o.uvar(map.descriptors().size());
    for (EfiMemoryDescriptor d : map.descriptors()) {
      o.u8(d.type().number()).uvar(d.physStart()).uvar(d.pages());
    }
    return o.toSection(SectionId.MEMORY_MAP, SECTION_VERSION);
  }

  private static Section costs(AcceptCosts a, BootCosts b) {
    SectionOutput o = new SectionOutput();
    o.uvar(a.tdcallNanos()).uvar(a.clearNanosPer4k()).str(a.tdxHostMaxPageSize().label());
    o.uvar(a.snpVmgexitNanos()).uvar(a.snpPvalidateNanos()).uvar(a.snpPscMaxEntries());
    o.str(a.snpHostMaxPageSize().label());
    o.uvar(b.firmwareFixedNanos()).uvar(b.stubFixedNanos()).uvar(b.decompressorFixedNanos());
    o.uvar(b.earlyKernelFixedNanos()).uvar(b.userspaceFixedNanos());
    o.uvar(b.memmapInitNanosPerPage()).f64(b.deferredSerialFraction());
    o.uvar(b.earlyAllocationsBase()).uvar(b.earlyAllocationsPerVcpu());
    o.uvar(b.kernelImageBytes()).uvar(b.percpuBytesPerVcpu());
    o.uvar(b.kernelInitBytes()).uvar(b.initrdBytes());
    return o.toSection(SectionId.COSTS, LATE_FREES_VERSION);
  }

  private static Section boot(GuestVm vm) {
    SectionOutput o = new SectionOutput();
    o.str(vm.stage.name());
    List<BootPhase> phases = vm.boot.phases();
    o.uvar(phases.size());
    for (BootPhase p : phases) {
      o.str(p.name()).uvar(p.simulatedNanos()).uvar(p.acceptedBytes()).uvar(p.acceptNanos());
    }
    o.svar(vm.boot.tablePhys()).svar(vm.boot.kernelBase()).svar(vm.boot.initrdPhys());
    return o.toSection(SectionId.BOOT, LATE_FREES_VERSION);
  }

  private static Section host(HostMemory.State h) {
    SectionOutput o = new SectionOutput();
    o.uvar(h.acceptedRanges().size());
    long prev = 0;
    for (long[] r : h.acceptedRanges()) {
      o.uvar(r[0] - prev).uvar(r[1] - r[0]);
      prev = r[1];
    }
    for (long v : h.operations()) {
      o.uvar(v);
    }
    for (long v : h.failedOperations()) {
      o.uvar(v);
    }
    AcceptTrigger[] triggers = AcceptTrigger.values();
    o.uvar(triggers.length);
    for (AcceptTrigger t : triggers) {
      o.str(t.name()).uvar(h.acceptedBytesByTrigger()[t.ordinal()]);
    }
    o.uvar(h.preBackedBytes()).uvar(h.hypervisorExits()).uvar(h.simulatedNanos()).uvar(h.calls());
    return o.toSection(SectionId.HOST, SECTION_VERSION);
  }

  private static Section acceptLog(AcceptLog log) {
    SectionOutput o = new SectionOutput();
    AcceptPhase[] phases = AcceptPhase.values();
    AcceptTrigger[] triggers = AcceptTrigger.values();
    o.uvar(phases.length);
    for (AcceptPhase p : phases) {
      o.str(p.name());
    }
    o.uvar(triggers.length);
    for (AcceptTrigger t : triggers) {
      o.str(t.name());
    }
    List<AcceptLog.Entry> tail = log.after(0, Integer.MAX_VALUE);
    o.uvar(log.totalCalls()).uvar(tail.size());
    for (AcceptLog.Entry e : tail) {
      o.u8(e.phase().ordinal()).u8(e.trigger().ordinal());
      o.uvar(e.start()).uvar(e.end() - e.start());
      o.uvar(e.ops4k()).uvar(e.ops2m()).uvar(e.ops1g()).uvar(e.simulatedNanos());
    }
    return o.toSection(SectionId.ACCEPT_LOG, SECTION_VERSION);
  }

  private static Section unaccepted(UnacceptedMemory u) {
    SectionOutput o = new SectionOutput();
    UnacceptedTable t = u.table();
    o.bool(t != null);
    if (t != null) {
      o.uvar(t.version()).uvar(t.unitSize()).uvar(t.physBase()).uvar(t.sizeBytes());
      List<long[]> runs = u.unacceptedRuns();
      o.uvar(runs.size());
      long prev = 0;
      for (long[] r : runs) {
        o.uvar(r[0] - prev).uvar(r[1] - r[0]);
        prev = r[1];
      }
    }
    return o.toSection(SectionId.UNACCEPTED, SECTION_VERSION);
  }

  private static Section memblock(Memblock m) {
    SectionOutput o = new SectionOutput();
    List<long[]> reserved = m.reservedRanges();
    o.uvar(reserved.size());
    long prev = 0;
    for (long[] r : reserved) {
      o.uvar(r[0] - prev).uvar(r[1] - r[0]);
      prev = r[1];
    }
    return o.toSection(SectionId.MEMBLOCK, SECTION_VERSION);
  }

  // ------------------------------------------------------------------ reading

  /**
   * Returns the guest a snapshot holds, restored with {@code settings} (its limits, log capacity
   * and self-checks; the cost models come from the snapshot), as {@code admission} decides once it
   * has read who the guest is.
   *
   * @param maxPayloadBytes the most bytes the snapshot may inflate to
   * @throws SimulatorException 400 for a malformed, truncated or corrupted snapshot or an unknown
   *     format version; 413 over a limit; 422 for a snapshot that reads but describes an impossible
   *     guest; whatever {@code admission} throws
   */
  static GuestVm read(
      byte[] snapshot, long maxPayloadBytes, VmSettings settings, Admission admission) {
    Map<Integer, Section> byId = new TreeMap<>();
    for (Section s : SnapshotFormat.decode(snapshot, maxPayloadBytes)) {
      if (SectionId.of(s.id()) == null && (s.id() & SectionId.OPTIONAL_BIT) == 0) {
        throw SnapshotFormat.malformed(
            "it has section "
                + s.name()
                + ", which this service does not know (was it written by a newer cvmsim?)");
      }
      byId.put(s.id(), s);
    }
    VmSpecReader head = new VmSpecReader(byId);
    Head admitted = admission.admit(head.head());
    return new Restore(byId, admitted, settings).guest();
  }

  /** Reads the first sections: identity, spec and memory map. */
  private static final class VmSpecReader {
    private final Map<Integer, Section> byId;

    VmSpecReader(Map<Integer, Section> byId) {
      this.byId = byId;
    }

    Head head() {
      SectionInput id = input(byId, SectionId.IDENTITY);
      String vmId = id.str("id", 64);
      if (!ID.matcher(vmId).matches()) {
        throw id.malformed("the id '" + vmId + "' is not of the form [a-z0-9][a-z0-9-]{0,63}");
      }
      Instant createdAt;
      try {
        createdAt = Instant.ofEpochSecond(id.svar(), id.uvar("nanoseconds", 0, 999_999_999));
      } catch (DateTimeException e) {
        throw id.malformed("the creation time is out of range");
      }
      id.end();
      EfiMemoryMap map = memoryMap(input(byId, SectionId.MEMORY_MAP));
      SectionInput in = input(byId, SectionId.SPEC);
      String name = in.optStr("name", MAX_NAME);
      Platform platform = in.enumByName("platform", Platform.class);
      String kernel = in.str("kernel", 32);
      AcceptPolicy policy = in.enumByName("acceptPolicy", AcceptPolicy.class);
      Long memory = in.optLong("memoryBytes", 1, Sizes.MAX_PHYS_ADDR);
      Long firmware = in.optLong("firmwareAcceptedBytes", 0, Sizes.MAX_PHYS_ADDR);
      int vcpus = (int) in.uvar("vcpus", 1, VmSpec.MAX_VCPUS);
      BootStage bootTo = in.enumByName("bootTo", BootStage.class);
      String host = in.optStr("hostPageSize", 8);
      boolean khugepaged = in.bool("khugepaged");
      in.end();
      VmSpec spec;
      try {
        spec =
            new VmSpec(
                name,
                platform,
                kernel,
                policy,
                memory,
                memory == null ? map : null,
                firmware,
                vcpus,
                bootTo,
                host == null ? null : PageSize.ofLabel(host),
                khugepaged);
      } catch (SimulatorException | IllegalArgumentException e) {
        throw in.impossible(e.getMessage());
      }
      if (spec.memoryBytes() != null && map.usableRamBytes() > spec.memoryBytes()) {
        throw in.impossible(
            "its memory map has "
                + map.usableRamBytes()
                + " bytes of RAM, more than the "
                + spec.memoryBytes()
                + " of its spec");
      }
      return new Head(vmId, spec, createdAt);
    }

    private static EfiMemoryMap memoryMap(SectionInput in) {
      int n = in.count("descriptor count", 3);
      if (n > EfiMemoryMap.MAX_DESCRIPTORS) {
        throw in.malformed(n + " descriptors, more than " + EfiMemoryMap.MAX_DESCRIPTORS);
      }
      List<EfiMemoryDescriptor> ds = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        EfiMemoryType type;
        try {
          type = EfiMemoryType.ofNumber(in.u8());
        } catch (IllegalArgumentException e) {
          throw in.malformed("descriptor " + i + ": " + e.getMessage());
        }
        ds.add(new EfiMemoryDescriptor(type, in.uvar(), in.uvar()));
      }
      in.end();
      try {
        return EfiMemoryMap.of(ds);
      } catch (SimulatorException e) {
        throw in.impossible(e.getMessage());
      }
    }
  }

  /** Rebuilds one guest, layer by layer. */
  private static final class Restore {
    private final Map<Integer, Section> byId;
    private final Head head;
    private final VmSettings settings;

    Restore(Map<Integer, Section> byId, Head head, VmSettings settings) {
      this.byId = byId;
      this.head = head;
      this.settings = settings;
    }

    GuestVm guest() {
      SectionInput costsIn = input(byId, SectionId.COSTS);
      VmSettings vmSettings = costs(costsIn, byId.get(SectionId.COSTS.id()).version());
      HostMemory host = host(input(byId, SectionId.HOST));
      AcceptLog log = acceptLog(input(byId, SectionId.ACCEPT_LOG));
      EfiMemoryMap map =
          head.spec().efiMemoryMap() != null
              ? head.spec().efiMemoryMap()
              : VmSpecReader.memoryMap(input(byId, SectionId.MEMORY_MAP));
      GuestVm vm =
          new GuestVm(head.id(), head.spec(), vmSettings, head.createdAt(), map, host, log);
      SectionInput bootIn = input(byId, SectionId.BOOT);
      BootStage stage = bootIn.enumByName("stage", BootStage.class);
      if (stage.compareTo(head.spec().bootTo()) < 0) {
        throw bootIn.impossible(
            "the guest is at " + stage + ", before the " + head.spec().bootTo() + " it booted to");
      }
      List<BootPhase> phases = phases(bootIn);
      long tablePhys = bootIn.svar("tablePhys", -1, Sizes.MAX_PHYS_ADDR);
      long kernelBase = bootIn.svar("kernelBase", -1, Sizes.MAX_PHYS_ADDR);
      long initrdPhys =
          byId.get(SectionId.BOOT.id()).version() >= LATE_FREES_VERSION
              ? bootIn.svar("initrdPhys", -1, Sizes.MAX_PHYS_ADDR)
              : -1;
      bootIn.end();
      vm.boot.restorePhases(phases);
      vm.stage = stage;
      expect(SectionId.UNACCEPTED, stage.compareTo(BootStage.EFI_STUB) >= 0, stage);
      expect(SectionId.MEMBLOCK, stage == BootStage.KERNEL, stage);
      for (SectionId id : AllocatorState.SECTIONS) {
        expect(id, stage == BootStage.KERNEL, stage);
      }
      if (stage != BootStage.KERNEL && byId.containsKey(SectionId.PCP_LISTS.id())) {
        expect(SectionId.PCP_LISTS, false, stage);
      }
      if (stage.compareTo(BootStage.EFI_STUB) >= 0) {
        UnacceptedTable table = table(input(byId, SectionId.UNACCEPTED), map, host);
        vm.unaccepted = vm.boot.restoreStub(table);
      }
      if (stage == BootStage.KERNEL) {
        List<long[]> ram = vm.boot.ramRanges();
        Memblock memblock = memblock(input(byId, SectionId.MEMBLOCK), ram);
        AllocatorState.Reader reader =
            new AllocatorState.Reader(
                head.spec().kernelModel(),
                head.spec().acceptPolicy() == AcceptPolicy.EAGER,
                vm.unaccepted,
                BootSequence.pfnRanges(ram),
                head.spec().vcpus());
        for (SectionId id : SectionId.values()) {
          if (AllocatorState.owns(id) && byId.containsKey(id.id())) {
            reader.read(id, input(byId, id));
          }
        }
        PageAllocator allocator = reader.finish(); // Invariants.check, once
        vm.boot.restoreKernel(memblock, allocator, tablePhys, kernelBase, initrdPhys);
        checkGuest(vm);
        vm.allocator = allocator;
      } else if (tablePhys != -1 || kernelBase != -1 || initrdPhys != -1) {
        throw SnapshotFormat.impossible(
            "section BOOT: a guest at " + stage + " has placed no table or kernel yet");
      } else {
        checkGuest(vm);
      }
      return vm;
    }

    /** The guest's own invariants (host against log and triggers), the allocator's aside. */
    private static void checkGuest(GuestVm vm) {
      try {
        vm.checkInvariantsLocked();
      } catch (IllegalStateException e) {
        throw SnapshotFormat.impossible("the guest breaks an invariant: " + e.getMessage());
      }
    }

    private void expect(SectionId id, boolean wanted, BootStage stage) {
      if (byId.containsKey(id.id()) != wanted) {
        throw SnapshotFormat.malformed(
            "a guest at "
                + stage
                + (wanted ? " needs section " + id + ", and it has none" : " has no section " + id)
                + (wanted ? "" : ", but the snapshot has one"));
      }
    }

    private VmSettings costs(SectionInput in, int version) {
      try {
        AcceptCosts accept =
            new AcceptCosts(
                in.uvar(),
                in.uvar(),
                pageSize(in, "tdxHostMaxPageSize"),
                in.uvar(),
                in.uvar(),
                (int) in.uvar("snpPscMaxEntries", 1, Integer.MAX_VALUE),
                pageSize(in, "snpHostMaxPageSize"));
        BootCosts boot =
            new BootCosts(
                in.uvar(),
                in.uvar(),
                in.uvar(),
                in.uvar(),
                in.uvar(),
                in.uvar(),
                in.f64(),
                (int) in.uvar("earlyAllocationsBase", 0, Integer.MAX_VALUE),
                (int) in.uvar("earlyAllocationsPerVcpu", 0, Integer.MAX_VALUE),
                in.uvar(),
                in.uvar(),
                version >= LATE_FREES_VERSION ? in.uvar() : 0,
                version >= LATE_FREES_VERSION ? in.uvar() : 0);
        in.end();
        return new VmSettings(
            accept,
            boot,
            settings.maxBitmapBytes(),
            settings.acceptLogCapacity(),
            settings.checkInvariants(),
            settings.maxBatches(),
            settings.maxBatchBytes());
      } catch (IllegalArgumentException e) {
        throw in.impossible(e.getMessage());
      }
    }

    private static PageSize pageSize(SectionInput in, String what) {
      String label = in.str(what, 8);
      try {
        return PageSize.ofLabel(label);
      } catch (IllegalArgumentException e) {
        throw in.malformed(what + " is '" + label + "'");
      }
    }

    private static List<BootPhase> phases(SectionInput in) {
      int n = in.count("phase count", 4);
      if (n > MAX_PHASES) {
        throw in.malformed(n + " boot phases, more than " + MAX_PHASES);
      }
      List<BootPhase> phases = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        phases.add(new BootPhase(in.str("phase name", 64), in.uvar(), in.uvar(), in.uvar()));
      }
      return phases;
    }

    private static HostMemory host(SectionInput in) {
      int n = in.count("accepted range count", 2);
      List<long[]> ranges = new ArrayList<>(n);
      long prev = 0;
      for (int i = 0; i < n; i++) {
        long start = prev + in.uvar();
        long end = start + in.uvar();
        if (start < prev || end <= start || end > Sizes.MAX_PHYS_ADDR) {
          throw in.impossible("accepted range " + i + " is empty, out of order or out of range");
        }
        ranges.add(new long[] {start, end});
        prev = end;
      }
      long[] ops = {in.uvar(), in.uvar(), in.uvar()};
      long[] failed = {in.uvar(), in.uvar(), in.uvar()};
      long[] byTrigger = new long[AcceptTrigger.values().length];
      int triggers = in.count("trigger count", 2);
      for (int i = 0; i < triggers; i++) {
        AcceptTrigger t = in.enumByName("trigger", AcceptTrigger.class);
        byTrigger[t.ordinal()] = in.uvar();
      }
      HostMemory.State s =
          new HostMemory.State(
              ranges, ops, failed, byTrigger, in.uvar(), in.uvar(), in.uvar(), in.uvar());
      in.end();
      try {
        return HostMemory.of(s);
      } catch (IllegalArgumentException e) {
        throw in.impossible(e.getMessage());
      }
    }

    private AcceptLog acceptLog(SectionInput in) {
      AcceptPhase[] phases = names(in, AcceptPhase.class, "phase");
      AcceptTrigger[] triggers = names(in, AcceptTrigger.class, "trigger");
      long total = in.uvar();
      int n = in.count("entry count", 8);
      List<AcceptLog.Entry> tail = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int p = in.u8();
        int t = in.u8();
        if (p >= phases.length || t >= triggers.length) {
          throw in.malformed("accept-log entry " + i + " names phase " + p + ", trigger " + t);
        }
        long start = in.uvar();
        long end = start + in.uvar();
        if (end < start || end > Sizes.MAX_PHYS_ADDR) {
          throw in.malformed("accept-log entry " + i + " is out of range");
        }
        tail.add(
            new AcceptLog.Entry(
                total - n + 1 + i,
                phases[p],
                triggers[t],
                start,
                end,
                in.uvar(),
                in.uvar("ops2m", 0, Integer.MAX_VALUE),
                in.uvar("ops1g", 0, Integer.MAX_VALUE),
                in.uvar()));
      }
      in.end();
      try {
        return AcceptLog.of(settings.acceptLogCapacity(), total, tail);
      } catch (IllegalArgumentException e) {
        throw in.impossible(e.getMessage());
      }
    }

    private static <E extends Enum<E>> E[] names(SectionInput in, Class<E> type, String what) {
      int n = in.count(what + " count", 2);
      E[] all = type.getEnumConstants();
      E[] out = Arrays.copyOf(all, n);
      for (int i = 0; i < n; i++) {
        out[i] = in.enumByName(what, type);
      }
      return out;
    }

    private UnacceptedTable table(SectionInput in, EfiMemoryMap map, HostMemory host) {
      VmSpec spec = head.spec();
      boolean stubMakesOne =
          spec.platform().confidential()
              && spec.kernelModel().supportsUnacceptedMemory()
              && map.hasUnaccepted();
      if (in.bool("present") != stubMakesOne) {
        throw in.impossible(
            stubMakesOne
                ? "the guest has no unaccepted table, but its memory map makes one"
                : "the guest has an unaccepted table, but its platform, kernel or map make none");
      }
      if (!stubMakesOne) {
        in.end();
        return null;
      }
      in.uvar("version", UnacceptedTable.VERSION, UnacceptedTable.VERSION);
      in.uvar("unitSize", Sizes.UNIT_SIZE, Sizes.UNIT_SIZE);
      long base = in.uvar("physBase", 0, Sizes.MAX_PHYS_ADDR);
      long size = in.uvar("sizeBytes", 1, 1L << 28);
      if (!Sizes.isAligned(base, Sizes.UNIT_SIZE)) {
        throw in.impossible("physBase 0x" + Long.toHexString(base) + " is not unit aligned");
      }
      if (size > settings.maxBitmapBytes()) {
        throw SimulatorException.tooLarge(
            "snapshot",
            "the snapshot's unaccepted bitmap is "
                + Sizes.format(size)
                + ", over the configured limit cvmsim.limits.max-bitmap-bytes of "
                + Sizes.format(settings.maxBitmapBytes()));
      }
      long expected = EfiStub.bitmapBytes(map, Sizes.UNIT_SIZE);
      if (expected != size) {
        throw in.impossible(
            "the bitmap is " + size + " bytes, but the memory map's stub makes " + expected);
      }
      long lowest = Long.MAX_VALUE;
      for (EfiMemoryDescriptor d : map.descriptors()) {
        if (d.type() == EfiMemoryType.UNACCEPTED) {
          lowest = Math.min(lowest, d.physStart());
        }
      }
      if (base != Sizes.alignDown(lowest, Sizes.UNIT_SIZE)) {
        throw in.impossible(
            "physBase is 0x"
                + Long.toHexString(base)
                + ", but the memory map's stub puts it at 0x"
                + Long.toHexString(Sizes.alignDown(lowest, Sizes.UNIT_SIZE)));
      }
      UnacceptedTable table = new UnacceptedTable(Sizes.UNIT_SIZE, base, size);
      UnitBitmap bits = table.bitmap();
      int runs = in.count("run count", 2);
      long prev = 0;
      for (int i = 0; i < runs; i++) {
        long delta = in.uvar();
        long from = prev + delta;
        long to = from + in.uvar();
        if ((i > 0 && delta == 0) || to <= from || from < prev || to > bits.size()) {
          throw in.impossible(
              "unaccepted run " + i + " is empty, not maximal, out of order or beyond the bitmap");
        }
        bits.set(from, to);
        prev = to;
      }
      in.end();
      for (long[] r : host.state().acceptedRanges()) {
        long s = Math.max(r[0], base);
        if (r[1] <= s) {
          continue;
        }
        long fromUnit = (s - base) / Sizes.UNIT_SIZE;
        long toUnit = Math.min(bits.size(), (r[1] - base + Sizes.UNIT_SIZE - 1) / Sizes.UNIT_SIZE);
        if (fromUnit < toUnit && bits.nextSetBit(fromUnit, toUnit) >= 0) {
          throw in.impossible(
              "the bitmap marks memory unaccepted that the host backs as accepted, in [0x"
                  + Long.toHexString(r[0])
                  + ", 0x"
                  + Long.toHexString(r[1])
                  + ")");
        }
      }
      return table;
    }

    private static Memblock memblock(SectionInput in, List<long[]> ram) {
      Memblock m = new Memblock(ram);
      int n = in.count("reserved range count", 2);
      long prev = 0;
      for (int i = 0; i < n; i++) {
        long delta = in.uvar();
        long start = prev + delta;
        long end = start + in.uvar();
        if ((i > 0 && delta == 0) || end <= start || start < prev || !insideRam(ram, start, end)) {
          throw in.impossible(
              "reserved range "
                  + i
                  + " is empty, not maximal, out of order or outside RAM: [0x"
                  + Long.toHexString(start)
                  + ", 0x"
                  + Long.toHexString(end)
                  + ")");
        }
        m.reserve(start, end - start);
        prev = end;
      }
      in.end();
      return m;
    }

    private static boolean insideRam(List<long[]> ram, long start, long end) {
      long at = start;
      for (long[] r : ram) {
        if (r[1] <= at) {
          continue;
        }
        if (r[0] > at) {
          return false;
        }
        at = r[1];
        if (at >= end) {
          return true;
        }
      }
      return false;
    }
  }

  private static SectionInput input(Map<Integer, Section> byId, SectionId id) {
    Section s = byId.get(id.id());
    if (s == null) {
      throw SnapshotFormat.malformed("it has no section " + id);
    }
    int wanted =
        id == SectionId.COSTS || id == SectionId.BOOT ? LATE_FREES_VERSION : SECTION_VERSION;
    if (!AllocatorState.owns(id) && (s.version() < SECTION_VERSION || s.version() > wanted)) {
      throw SnapshotFormat.malformed(
          "section "
              + id
              + " has layout version "
              + s.version()
              + "; this service reads versions "
              + SECTION_VERSION
              + " to "
              + wanted);
    }
    return new SectionInput(s);
  }
}
