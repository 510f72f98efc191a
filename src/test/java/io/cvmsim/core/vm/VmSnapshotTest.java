package io.cvmsim.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.TestGuests;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.snapshot.Section;
import io.cvmsim.core.snapshot.SectionId;
import io.cvmsim.core.snapshot.SectionInput;
import io.cvmsim.core.snapshot.SectionOutput;
import io.cvmsim.core.snapshot.SnapshotFormat;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A guest's snapshot restores a guest that answers and behaves exactly as the original did. */
class VmSnapshotTest {

  static VmRegistry registry() {
    return new VmRegistry(VmLimits.DEFAULTS, VmSettings.DEFAULTS);
  }

  /** Returns the guest restored from {@code vm}'s snapshot, under the same id. */
  static GuestVm copyOf(GuestVm vm) {
    return TestGuests.track(registry().restore(vm.snapshot(), null, true));
  }

  static VmSpec spec(Platform p, String kernel, AcceptPolicy policy, long bytes, BootStage to) {
    return new VmSpec(null, p, kernel, policy, bytes, null, null, 4, to, null, false);
  }

  // ------------------------------------------------------------------ faithful

  @ParameterizedTest
  @CsvSource({
    "TDX, 6.5, LAZY, KERNEL",
    "TDX, mainline, LAZY, KERNEL",
    "TDX, 6.12, EAGER, KERNEL",
    "TDX, 6.1, LAZY, KERNEL",
    "SNP, 6.5, LAZY, KERNEL",
    "NONE, 6.5, LAZY, KERNEL",
    "TDX, 6.5, LAZY, EFI_STUB",
    "SNP, mainline, EAGER, FIRMWARE",
    "NONE, 6.5, LAZY, FIRMWARE"
  })
  void restoredGuest_answersEveryViewByteForByte_andSnapshotsToTheSameBytes(
      Platform platform, String kernel, AcceptPolicy policy, BootStage stage) {
    GuestVm vm = TestGuests.create(spec(platform, kernel, policy, 3 * Sizes.GIB, stage));
    if (stage == BootStage.KERNEL) {
      vm.allocate(Gfp.GFP_KERNEL, 0, 3000);
      vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 4, 2000);
      vm.allocate(Gfp.GFP_ATOMIC, 3, 200);
      vm.allocate(Gfp.GFP_KERNEL_RECLAIMABLE, 1, 4000);
    }
    if (stage != BootStage.FIRMWARE && platform != Platform.NONE) {
      vm.accept(2 * Sizes.GIB, 2 * Sizes.GIB + 100 * Sizes.MIB);
    }

    GuestVm copy = copyOf(vm);

    assertThat(GuestViews.of(copy)).isEqualTo(GuestViews.of(vm));
    assertThat(copy.snapshot()).isEqualTo(vm.snapshot());
  }

  /**
   * A guest that compacted: migrated allocations keep their handles across a snapshot, so the
   * restored guest frees them by the pfns the allocations answered, and compaction's counters and
   * state print and snapshot the same. The fill stops above the high watermarks and the pageblocks
   * left whole go to THPs that neither reclaim nor compact, so the guest never reclaims: the
   * snapshot has no reclaim section yet (docs/SNAPSHOT.md), and a fill to failure would stall in
   * direct reclaim (allocstall) that an imported guest does not remember.
   */
  @Test
  void compactedGuest_roundTrips_andFreesMigratedBlocksByTheirHandles() {
    GuestVm vm =
        TestGuests.create(
            spec(Platform.TDX, "6.12", AcceptPolicy.EAGER, Sizes.GIB, BootStage.KERNEL));
    // fill with movable pages, then free every other one: no free pageblock is left
    long high = 0;
    for (var z : vm.memory().zones()) {
      high += z.watermarks()[2];
    }
    int fill = (int) (vm.memory().freePages() - 2 * high);
    VmViews.Batch all = vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, fill);
    assertThat(all.failed()).isZero();
    java.util.List<Long> kept = new java.util.ArrayList<>();
    java.util.List<Long> freed = new java.util.ArrayList<>();
    for (int i = 0; i < all.pfns().length; i++) {
      (i % 2 == 0 ? freed : kept).add(all.pfns()[i]);
    }
    vm.free(freed.stream().mapToLong(Long::longValue).toArray());
    assertThat(vm.allocate(Gfp.GFP_TRANSHUGE_LIGHT, Sizes.PAGEBLOCK_ORDER, 1 << 10).failed())
        .isPositive();
    VmViews.Batch thp = vm.allocate(Gfp.GFP_TRANSHUGE, Sizes.PAGEBLOCK_ORDER, 4);
    assertThat(thp.pfns()).isNotEmpty();
    assertThat(vm.memory().compaction().pgmigrateSuccess()).isPositive();

    GuestVm copy = copyOf(vm);

    assertThat(viewsWithoutReclaimEvents(copy)).isEqualTo(viewsWithoutReclaimEvents(vm));
    assertThat(copy.snapshot()).isEqualTo(vm.snapshot());
    long[] handles = kept.stream().mapToLong(Long::longValue).toArray();
    assertThat(copy.free(handles)).isEqualTo(handles.length);
    assertThat(vm.free(handles)).isEqualTo(handles.length);
    assertThat(viewsWithoutReclaimEvents(copy)).isEqualTo(viewsWithoutReclaimEvents(vm));
  }

  /**
   * The views without reclaim's event counts: the fill's fallbacks boost a watermark and wake
   * kswapd, whose wake and sleep counts a snapshot does not carry yet (docs/SNAPSHOT.md: reclaim
   * has no section), so an imported guest shows 0 there.
   */
  private static String viewsWithoutReclaimEvents(GuestVm vm) {
    return GuestViews.of(vm).replaceAll("(ReclaimStats\\{[^}]*?events=)\\[[^\\]]*\\]", "$1[...]");
  }

  @Test
  void guestWithAnExplicitMapAndHoles_roundTrips_andStoppedGuestsBootOnAfterwards() {
    EfiMemoryMap map =
        EfiMemoryMap.of(
            List.of(
                new EfiMemoryDescriptor(EfiMemoryType.CONVENTIONAL, 0, 160),
                new EfiMemoryDescriptor(EfiMemoryType.CONVENTIONAL, Sizes.MIB, 65280),
                new EfiMemoryDescriptor(EfiMemoryType.RESERVED, 256 * Sizes.MIB, 256),
                new EfiMemoryDescriptor(EfiMemoryType.UNACCEPTED, 257 * Sizes.MIB + 4096, 200_000),
                new EfiMemoryDescriptor(EfiMemoryType.UNACCEPTED, 4 * Sizes.GIB, 500_000)));
    GuestVm vm =
        TestGuests.create(
            new VmSpec(
                "holes",
                Platform.SNP,
                "mainline",
                AcceptPolicy.LAZY,
                null,
                map,
                null,
                2,
                BootStage.EFI_STUB,
                PageSize.SIZE_4K,
                true));
    GuestVm copy = copyOf(vm);
    assertThat(GuestViews.of(copy)).isEqualTo(GuestViews.of(vm));

    vm.bootToKernel();
    copy.bootToKernel();

    assertThat(GuestViews.of(copy)).isEqualTo(GuestViews.of(vm));
  }

  @Test
  void lazyTerabyteGuest_booted_exportsUnderOneMebibyte_andRestores() {
    GuestVm vm = TestGuests.guest("6.5", AcceptPolicy.LAZY, Sizes.TIB);

    byte[] snapshot = vm.snapshot();
    GuestVm copy = TestGuests.track(registry().restore(snapshot, null, true));

    assertThat(snapshot.length).isLessThan(1 << 20);
    assertThat(GuestViews.of(copy)).isEqualTo(GuestViews.of(vm));
  }

  /**
   * The property: a guest and its restored copy, given the same random operations (allocations,
   * frees, accepts, seeded workloads, the rest of a stopped boot), answer every view alike after
   * every step; and so does a copy restored from the copy along the way.
   */
  @Test
  void restoredGuest_givenTheSameOperations_continuesIdentically() {
    long base = Long.getLong("snapshot.seed", 20261130L);
    for (int i = 0; i < 12; i++) {
      long seed = base + i;
      runSequence(seed);
    }
  }

  private static void runSequence(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Platform platform = Platform.values()[r.nextInt(Platform.values().length)];
    String kernel = List.of("6.1", "6.5", "6.12", "mainline").get(r.nextInt(4));
    VmSpec spec =
        new VmSpec(
            null,
            platform,
            kernel,
            r.nextBoolean() ? AcceptPolicy.LAZY : AcceptPolicy.EAGER,
            (1 + r.nextInt(3)) * Sizes.GIB,
            null,
            null,
            1 + r.nextInt(8),
            BootStage.values()[r.nextInt(3)],
            r.nextInt(3) == 0 ? PageSize.SIZE_4K : null,
            r.nextBoolean());
    GuestVm a = TestGuests.create(spec);
    GuestVm b = copyOf(a);
    List<Long> held = new ArrayList<>();
    String at = "seed " + seed + " (repeat with -Dsnapshot.seed=" + seed + "), " + spec;
    assertThat(GuestViews.of(b)).as(at + ", restored").isEqualTo(GuestViews.of(a));
    for (int step = 0; step < 20; step++) {
      long opSeed = r.nextLong();
      String op = step(a, new SplittableRandom(opSeed), new ArrayList<>(held));
      String same = step(b, new SplittableRandom(opSeed), held);
      assertThat(same).as(at + ", step " + step + " answers").isEqualTo(op);
      assertThat(GuestViews.of(b))
          .as(at + ", after step " + step + ": " + op)
          .isEqualTo(GuestViews.of(a));
      if (r.nextInt(4) == 0) {
        b = copyOf(b);
      }
    }
  }

  /** Applies one random operation; returns what it answered, as text. */
  private static String step(GuestVm vm, SplittableRandom r, List<Long> held) {
    try {
      switch (r.nextInt(7)) {
        case 0, 1 -> {
          Gfp gfp =
              List.of(
                      Gfp.GFP_KERNEL,
                      Gfp.GFP_HIGHUSER_MOVABLE,
                      Gfp.GFP_ATOMIC,
                      Gfp.GFP_KERNEL_RECLAIMABLE,
                      Gfp.GFP_DMA32,
                      Gfp.GFP_NOWAIT)
                  .get(r.nextInt(6));
          int order = r.nextInt(4) == 0 ? r.nextInt(11) : r.nextInt(3);
          VmViews.Batch got = vm.allocate(gfp, order, 1 + r.nextInt(1500));
          for (long pfn : got.pfns()) {
            held.add(pfn);
          }
          // not the batch id: a snapshot does not carry batches, a restored VM counts from 1
          return "allocate " + GuestViews.deep(got.pfns()) + " failed " + got.failed();
        }
        case 2 -> {
          List<Long> chosen = new ArrayList<>();
          for (int i = held.size() - 1; i >= 0; i--) {
            if (r.nextInt(3) == 0) {
              chosen.add(held.remove(i));
            }
          }
          return "free " + vm.free(chosen.stream().mapToLong(Long::longValue).toArray());
        }
        case 3 -> {
          long end = vm.memoryMap().end();
          long s = Sizes.alignDown(r.nextLong(end), Sizes.PAGE_SIZE);
          long e = Math.min(end, s + Sizes.PAGE_SIZE + r.nextLong(512 * Sizes.MIB));
          return "accept " + GuestViews.deep(vm.accept(s, e));
        }
        case 4 -> {
          vm.bootToKernel();
          return "boot";
        }
        default -> {
          return "workload " + workload(vm, r);
        }
      }
    } catch (SimulatorException e) {
      return "refused " + e.kind() + " " + e.getMessage();
    }
  }

  private static String workload(GuestVm vm, SplittableRandom r) {
    Map<String, Object> p = new LinkedHashMap<>();
    WorkloadType type;
    switch (r.nextInt(3)) {
      case 0 -> {
        type = WorkloadType.ofLabel("memory-hog");
        p.put("fill", 0.02 + r.nextDouble() * 0.1);
        p.put("order", (long) r.nextInt(4));
        p.put("release", r.nextBoolean() ? 1.0 : 0.0);
      }
      case 1 -> {
        type = WorkloadType.ofLabel("fragmenter");
        p.put("fill", 0.05);
        p.put("order", (long) r.nextInt(3));
        p.put("every", 2L + r.nextInt(3));
      }
      default -> {
        type = WorkloadType.ofLabel("kernel-build");
        p.put("parallelism", 2L + r.nextInt(3));
        p.put("events", 2000L + r.nextInt(8000));
      }
    }
    p.put("seed", r.nextLong() & Long.MAX_VALUE);
    JobContext ctx =
        new JobContext() {
          @Override
          public void progress(double fraction) {}

          @Override
          public boolean cancelled() {
            return false;
          }
        };
    var result = type.create(new WorkloadParams(p), 42).run(vm, ctx);
    return type.label() + " " + result.allocations() + " " + result.failures();
  }

  // ------------------------------------------------------------------ refused whole

  static byte[] small() {
    GuestVm vm = TestGuests.guest("6.5", AcceptPolicy.LAZY, Sizes.GIB);
    vm.allocate(Gfp.GFP_KERNEL, 0, 100);
    return vm.snapshot();
  }

  static SimulatorException refusal(VmRegistry registry, byte[] snapshot) {
    try {
      registry.restore(snapshot, null, false);
    } catch (SimulatorException e) {
      assertThat(registry.size()).as("nothing registered").isZero();
      return e;
    }
    throw new AssertionError("the snapshot was restored");
  }

  @Test
  void truncatedSnapshot_atAnyLength_isRefusedAsMalformed_andRegistersNothing() {
    byte[] snapshot = small();
    VmRegistry registry = registry();
    for (int n = 0; n < snapshot.length; n++) {
      SimulatorException e = refusal(registry, Arrays.copyOf(snapshot, n));
      assertThat(e.kind()).as("cut at " + n).isEqualTo(SimulatorException.Kind.BAD_REQUEST);
    }
  }

  @Test
  void everyFlippedBit_isRefusedAsMalformed() {
    byte[] snapshot = small();
    VmRegistry registry = registry();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 400; i++) {
      int at = i < SnapshotFormat.HEADER_BYTES ? i : r.nextInt(snapshot.length);
      byte[] bad = snapshot.clone();
      bad[at] ^= (byte) (1 << r.nextInt(8));
      assertThat(refusal(registry, bad).kind())
          .as("bit flipped in byte " + at)
          .isEqualTo(SimulatorException.Kind.BAD_REQUEST);
    }
  }

  @Test
  void unknownFormatVersion_isRefused_namingTheVersion() {
    byte[] snapshot = small();
    snapshot[9] = 7;

    SimulatorException e = refusal(registry(), snapshot);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.BAD_REQUEST);
    assertThat(e.getMessage()).contains("format version 7").contains("reads version 1");
  }

  @Test
  void somethingElse_isRefusedAsNotASnapshot() {
    SimulatorException e = refusal(registry(), "{\"name\":\"x\"}".getBytes());

    assertThat(e.getMessage()).contains("does not start with the snapshot magic");
  }

  @Test
  void payloadDeclaredOverTheLimit_isRefusedWith413_beforeInflating() {
    byte[] snapshot = small();
    VmRegistry registry =
        new VmRegistry(new VmLimits(64, Sizes.TIB, Sizes.TIB, 1024), VmSettings.DEFAULTS);

    SimulatorException e = refusal(registry, snapshot);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.TOO_LARGE);
    assertThat(e.getMessage()).contains("cvmsim.limits.max-snapshot-bytes");
  }

  @Test
  void decompressionBomb_inflatingBeyondWhatItDeclares_isRefused() {
    byte[] zeros = new byte[16 << 20];
    byte[] bomb = container(1000, zeros);

    SimulatorException e = refusal(registry(), bomb);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.BAD_REQUEST);
    assertThat(e.getMessage()).contains("more than the 1000 bytes declared");
  }

  /** A v1 container declaring {@code declared} payload bytes around {@code payload}, sealed. */
  static byte[] container(long declared, byte[] payload) {
    Deflater d = new Deflater();
    d.setInput(payload);
    d.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.finished()) {
      z.write(buf, 0, d.deflate(buf));
    }
    d.end();
    CRC32 crc = new CRC32();
    crc.update(payload);
    ByteBuffer h = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES);
    h.put(new byte[] {'C', 'V', 'M', 'S', 'N', 'A', 'P', 0})
        .putShort((short) 1)
        .putShort((short) 1);
    CRC32 zc = new CRC32();
    zc.update(z.toByteArray());
    h.putLong(declared).putInt((int) crc.getValue()).putInt((int) zc.getValue());
    CRC32 hc = new CRC32();
    hc.update(h.array(), 0, 28);
    h.putInt((int) hc.getValue());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.array());
    out.writeBytes(z.toByteArray());
    return out.toByteArray();
  }

  @Test
  void overlappingDescriptors_areAnImpossibleGuest() {
    byte[] snapshot =
        SnapshotSections.rewrite(
            small(),
            SectionId.MEMORY_MAP,
            s ->
                new SectionOutput()
                    .uvar(2)
                    .u8(EfiMemoryType.CONVENTIONAL.number())
                    .uvar(0)
                    .uvar(300_000)
                    .u8(EfiMemoryType.CONVENTIONAL.number())
                    .uvar(Sizes.GIB)
                    .uvar(100)
                    .toSection(SectionId.MEMORY_MAP, 1));

    SimulatorException e = refusal(registry(), snapshot);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.UNPROCESSABLE);
    assertThat(e.getMessage()).contains("overlaps");
  }

  @Test
  void freeBlockOutsideItsZone_isAnImpossibleGuest() {
    byte[] snapshot =
        SnapshotSections.rewrite(
            small(),
            SectionId.FREE_LISTS,
            s -> {
              long[][][][] lists = SnapshotSections.freeLists(s);
              // a DMA32 block of order 10 put on the DMA zone's list
              long[] dma32 = lists[1][10][1];
              lists[0][10][1] = new long[] {dma32[0]};
              lists[1][10][1] = Arrays.copyOfRange(dma32, 1, dma32.length);
              return SnapshotSections.freeLists(lists);
            });

    SimulatorException e = refusal(registry(), snapshot);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.UNPROCESSABLE);
    assertThat(e.getMessage()).contains("lies outside its zone DMA");
  }

  @Test
  void extfragCountsThatDoNotAddUp_areAnImpossibleGuest() {
    byte[] snapshot =
        SnapshotSections.rewrite(
            small(),
            SectionId.EXTFRAG,
            s -> {
              SectionInput in = new SectionInput(s);
              SectionOutput o = new SectionOutput();
              o.uvar(in.uvar());
              for (int i = 0; i < 72; i++) {
                o.uvar(in.uvar());
              }
              o.uvar(in.uvar() + 5).uvar(in.uvar()).uvar(in.uvar());
              o.uvar(in.uvar());
              return o.toSection(SectionId.EXTFRAG, 1);
            });

    SimulatorException e = refusal(registry(), snapshot);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.UNPROCESSABLE);
    assertThat(e.getMessage()).contains("do not add up");
  }

  @Test
  void allocationOverAFreeBlock_parsesButBreaksAnInvariant_andIsAnImpossibleGuest() {
    byte[] original = small();
    long[][][][] lists = SnapshotSections.freeLists(section(original, SectionId.FREE_LISTS));
    long freePfn = lists[1][10][1][0];
    byte[] snapshot =
        SnapshotSections.rewrite(
            original,
            SectionId.LIVE,
            s -> {
              List<long[]> live = SnapshotSections.live(s);
              live.add(new long[] {freePfn, 0});
              return SnapshotSections.live(live);
            });

    SimulatorException e = refusal(registry(), snapshot);

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.UNPROCESSABLE);
    assertThat(e.getMessage()).contains("breaks an invariant");
  }

  @Test
  void bitmapLargerThanTheLimit_isRefusedWith413() {
    GuestVm big = TestGuests.guest("6.5", AcceptPolicy.LAZY, 512 * Sizes.GIB);
    VmRegistry registry =
        new VmRegistry(
            VmLimits.DEFAULTS,
            new VmSettings(
                VmSettings.DEFAULTS.acceptCosts(),
                VmSettings.DEFAULTS.bootCosts(),
                1024,
                100_000,
                false,
                VmSettings.DEFAULTS.maxBatches(),
                VmSettings.DEFAULTS.maxBatchBytes()));

    SimulatorException e = refusal(registry, big.snapshot());

    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.TOO_LARGE);
    assertThat(e.getMessage()).contains("max-bitmap-bytes");
  }

  @Test
  void unknownRequiredSection_isRefused_butAnUnknownOptionalOneIsSkipped() {
    byte[] original = small();
    byte[] required = SnapshotSections.add(original, new Section(40, 1, new byte[] {1, 2, 3}));
    byte[] optional =
        SnapshotSections.add(
            original, new Section(SectionId.OPTIONAL_BIT | 40, 1, new byte[] {1, 2, 3}));

    assertThat(refusal(registry(), required).getMessage()).contains("section #40");
    assertThat(registry().restore(optional, null, true).snapshot()).isEqualTo(original);
  }

  @Test
  void missingSection_orOneWithBytesLeftOver_isRefusedAsMalformed() {
    byte[] original = small();
    byte[] missing = SnapshotSections.rewrite(original, SectionId.PARKED, s -> null);
    byte[] longer =
        SnapshotSections.rewrite(
            original,
            SectionId.SYSCTLS,
            s -> new Section(s.id(), s.version(), Arrays.copyOf(s.body(), s.body().length + 1)));

    assertThat(refusal(registry(), missing).getMessage()).contains("needs section PARKED");
    assertThat(refusal(registry(), longer).getMessage()).contains("left over");
  }

  /**
   * Snapshots written before the boot freed the initrd and the init sections late hold COSTS and
   * BOOT in layout version 1, without kernelInitBytes, initrdBytes and where the initrd lay: they
   * are read as a boot without late frees, and written again in version 2.
   */
  @Test
  void costsAndBootInLayoutVersion1_areReadAsABootWithoutLateFrees() {
    byte[] original = small();
    GuestVm vm = TestGuests.track(registry().restore(original, null, true));
    int costsTail =
        new SectionOutput()
            .uvar(vm.bootCosts.kernelInitBytes())
            .uvar(vm.bootCosts.initrdBytes())
            .size();
    int bootTail = new SectionOutput().svar(vm.boot.initrdPhys()).size();
    byte[] v1 =
        SnapshotSections.rewrite(
            SnapshotSections.rewrite(
                original,
                SectionId.COSTS,
                c -> new Section(c.id(), 1, Arrays.copyOf(c.body(), c.body().length - costsTail))),
            SectionId.BOOT,
            b -> new Section(b.id(), 1, Arrays.copyOf(b.body(), b.body().length - bootTail)));

    GuestVm old = TestGuests.track(registry().restore(v1, null, true));
    assertThat(old.bootCosts.kernelInitBytes()).isZero();
    assertThat(old.bootCosts.initrdBytes()).isZero();
    assertThat(old.boot.initrdPhys()).isEqualTo(-1);
    assertThat(section(old.snapshot(), SectionId.COSTS).version()).isEqualTo(2);
    assertThat(section(old.snapshot(), SectionId.BOOT).version()).isEqualTo(2);
    byte[] v3 =
        SnapshotSections.rewrite(original, SectionId.BOOT, b -> new Section(b.id(), 3, b.body()));
    assertThat(refusal(registry(), v3).getMessage()).contains("versions 1 to 2");
  }

  static Section section(byte[] snapshot, SectionId id) {
    return SnapshotSections.of(snapshot).stream()
        .filter(s -> s.id() == id.id())
        .findFirst()
        .orElseThrow();
  }

  // ------------------------------------------------------------------ the registry's limits

  @Test
  void restore_honoursTheRegistrysLimits_andRegistersNothingWhenRefused() {
    byte[] snapshot = small();
    VmRegistry one =
        new VmRegistry(new VmLimits(1, Sizes.TIB, Sizes.TIB, Sizes.GIB), VmSettings.DEFAULTS);
    one.restore(snapshot, "first", false);
    VmRegistry tight =
        new VmRegistry(new VmLimits(8, 512 * Sizes.MIB, Sizes.TIB, Sizes.GIB), VmSettings.DEFAULTS);
    VmRegistry total =
        new VmRegistry(new VmLimits(8, Sizes.GIB, Sizes.GIB + 1, Sizes.GIB), VmSettings.DEFAULTS);
    total.restore(snapshot, "a", false);

    assertThat(kind(() -> one.restore(snapshot, "second", false)))
        .isEqualTo(SimulatorException.Kind.AT_CAPACITY);
    assertThat(kind(() -> tight.restore(snapshot, null, false)))
        .isEqualTo(SimulatorException.Kind.TOO_LARGE);
    assertThat(kind(() -> total.restore(snapshot, "b", false)))
        .isEqualTo(SimulatorException.Kind.AT_CAPACITY);
    assertThat(kind(() -> total.restore(snapshot, "a", false)))
        .isEqualTo(SimulatorException.Kind.CONFLICT);
    assertThat(one.size()).isEqualTo(1);
    assertThat(tight.size()).isZero();
    assertThat(total.size()).isEqualTo(1);
  }

  @Test
  void restore_asAnImport_getsANewIdAndTheGivenName_asARestart_keepsTheId() {
    GuestVm vm = TestGuests.create(spec(Platform.TDX, "6.5", AcceptPolicy.LAZY, Sizes.GIB, null));
    VmRegistry registry = registry();

    GuestVm imported = registry.restore(vm.snapshot(), "copy", false);
    GuestVm restarted = registry.restore(vm.snapshot(), null, true);

    assertThat(imported.id()).isNotEqualTo(vm.id());
    assertThat(imported.name()).isEqualTo("copy");
    assertThat(imported.createdAt()).isEqualTo(vm.createdAt());
    assertThat(restarted.id()).isEqualTo(vm.id());
    assertThat(kind(() -> registry.restore(vm.snapshot(), "other", true)))
        .isEqualTo(SimulatorException.Kind.CONFLICT);
    assertThat(kind(() -> registry.restore(vm.snapshot(), "Not A Name", false)))
        .isEqualTo(SimulatorException.Kind.BAD_REQUEST);
  }

  @Test
  void acceptLogLongerThanTheCapacity_keepsItsNewestEntries_andCountsTheRestDropped() {
    GuestVm vm = TestGuests.guest("mainline", AcceptPolicy.LAZY, 2 * Sizes.GIB);
    vm.allocate(Gfp.GFP_KERNEL, 0, 20_000);
    List<?> all = vm.acceptLog(0, Integer.MAX_VALUE);
    VmRegistry small =
        new VmRegistry(
            VmLimits.DEFAULTS,
            new VmSettings(
                VmSettings.DEFAULTS.acceptCosts(),
                VmSettings.DEFAULTS.bootCosts(),
                16 * Sizes.MIB,
                10,
                false,
                VmSettings.DEFAULTS.maxBatches(),
                VmSettings.DEFAULTS.maxBatchBytes()));

    GuestVm copy = small.restore(vm.snapshot(), null, true);

    assertThat(copy.acceptLog(0, Integer.MAX_VALUE))
        .isEqualTo(all.subList(all.size() - 10, all.size()));
    assertThat(copy.acceptLogDropped()).isEqualTo(all.size() - 10);
  }

  private static SimulatorException.Kind kind(Runnable r) {
    try {
      r.run();
    } catch (SimulatorException e) {
      return e.kind();
    }
    throw new AssertionError("not refused");
  }
}
