package io.cvmsim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.Fragmentation;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmLimits;
import io.cvmsim.core.vm.VmRegistry;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.vm.VmViews;
import io.cvmsim.metrics.PrometheusText.Sample;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VmMeterBinder} over a real {@link VmRegistry} and a Prometheus registry: the contract's
 * names and tags, values equal to the guest's snapshot, counters that move, no series after delete.
 */
class VmMeterBinderTest {

  private final VmRegistry vms = new VmRegistry(VmLimits.DEFAULTS, VmSettings.DEFAULTS);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeEach
  void bind() {
    new VmMeterBinder(vms, Duration.ZERO).bindTo(registry);
  }

  static VmSpec spec(String name, Platform platform, long memory, BootStage bootTo) {
    return new VmSpec(
        name, platform, "6.5", AcceptPolicy.LAZY, memory, null, null, 2, bootTo, null, false);
  }

  private GuestVm create(String name, Platform platform, long memory) {
    return vms.create(spec(name, platform, memory, BootStage.KERNEL));
  }

  @Test
  void scrape_servesEveryContractNameWithVmPlatformAndExactlyItsExtraTags() {
    create("t1", Platform.TDX, 2 * Sizes.GIB);
    create("s1", Platform.SNP, 4 * Sizes.GIB);

    List<Sample> samples = PrometheusText.parse(registry.scrape());

    Set<String> names = samples.stream().map(Sample::name).collect(Collectors.toSet());
    assertThat(names).contains(MetricsContract.VMS).containsAll(MetricsContract.PER_VM.keySet());
    for (Sample s : samples) {
      Set<String> extra = MetricsContract.PER_VM.get(s.name());
      if (extra == null) {
        continue;
      }
      Set<String> expected = new HashSet<>(extra);
      expected.add("vm");
      expected.add("platform");
      assertThat(s.labels().keySet()).as("labels of %s", s).isEqualTo(expected);
      assertThat(Map.of("t1", "TDX", "s1", "SNP"))
          .as("vm and platform of %s", s)
          .containsEntry(s.labels().get("vm"), s.labels().get("platform"));
    }
  }

  @Test
  void tagValues_areTheKernelsNames() {
    create("t1", Platform.TDX, 4 * Sizes.GIB);

    List<Sample> samples = PrometheusText.parse(registry.scrape());

    assertThat(values(samples, "cvm_zone_free_pages", "zone"))
        .containsExactlyInAnyOrder("DMA", "DMA32", "Normal");
    assertThat(values(samples, "cvm_zone_watermark_pages", "level"))
        .containsExactlyInAnyOrder("min", "low", "high", "promo");
    assertThat(values(samples, "cvm_page_alloc_total", "result"))
        .containsExactlyInAnyOrder("success", "failure");
    assertThat(values(samples, "cvm_page_free_total", "order")).hasSize(Sizes.NR_ORDERS);
    assertThat(values(samples, "cvm_accepted_bytes_total", "trigger"))
        .containsExactlyInAnyOrder(
            "firmware", "stub", "memblock", "allocator", "eager", "explicit");
    assertThat(values(samples, "cvm_accept_operations_total", "page_size"))
        .containsExactlyInAnyOrder("4K", "2M", "1G");
    assertThat(values(samples, "cvm_extfrag_events_total", "alloc_migratetype"))
        .containsExactlyInAnyOrder("Unmovable", "Movable", "Reclaimable");
    assertThat(values(samples, "cvm_extfrag_events_total", "change_ownership"))
        .containsExactlyInAnyOrder("true", "false");
  }

  @Test
  void seriesPerVm_are60Plus39PerPopulatedZone() {
    GuestVm small = create("small", Platform.TDX, 2 * Sizes.GIB);
    GuestVm large = create("large", Platform.TDX, 4 * Sizes.GIB);

    assertThat(meters("small")).hasSize(MetricsContract.seriesPerBootedVm(populatedZones(small)));
    assertThat(meters("large")).hasSize(MetricsContract.seriesPerBootedVm(3)).hasSize(177);
    assertThat(PrometheusText.parse(registry.scrape()))
        .filteredOn(s -> "large".equals(s.labels().get("vm")))
        .hasSize(177);
  }

  @Test
  void gauges_equalTheSnapshot() {
    GuestVm vm = create("t1", Platform.TDX, 4 * Sizes.GIB);
    vm.allocate(Gfp.GFP_KERNEL, 3, 1000);
    MemorySnapshot s = vm.memory();

    assertThat(gauge("cvm.meminfo.unaccepted", "t1")).isEqualTo(s.unacceptedPages() * 4096.0);
    assertThat(gauge("cvm.meminfo.unaccepted", "t1")).isPositive();
    assertThat(gauge("cvm.meminfo.total", "t1")).isEqualTo(s.totalPages() * 4096.0);
    assertThat(gauge("cvm.meminfo.free", "t1")).isEqualTo(s.freePages() * 4096.0);
    assertThat(gauge("cvm.meminfo.available", "t1")).isEqualTo(s.availablePages() * 4096.0);
    assertThat(gauge("cvm.host.backed", "t1")).isEqualTo((double) vm.host().backedBytes());
    for (ZoneSnapshot z : s.zones()) {
      if (!z.populated()) {
        assertThat(registry.find("cvm.zone.free.pages").tag("zone", z.name()).meters()).isEmpty();
        continue;
      }
      String zone = z.name();
      assertThat(gauge("cvm.zone.free.pages", "t1", "zone", zone)).isEqualTo(z.freePages());
      assertThat(gauge("cvm.zone.unaccepted.pages", "t1", "zone", zone))
          .isEqualTo(z.unacceptedPages());
      assertThat(gauge("cvm.zone.watermark.pages", "t1", "zone", zone, "level", "min"))
          .isEqualTo(z.wmark(0));
      assertThat(gauge("cvm.zone.watermark.pages", "t1", "zone", zone, "level", "promo"))
          .isEqualTo(z.wmark(3));
      for (int o = 0; o < Sizes.NR_ORDERS; o++) {
        String order = Integer.toString(o);
        assertThat(gauge("cvm.buddy.free.blocks", "t1", "zone", zone, "order", order))
            .isEqualTo(z.nrFree()[o]);
        assertThat(gauge("cvm.extfrag.index", "t1", "zone", zone, "order", order))
            .isEqualTo(Fragmentation.fragmentationIndex(z.nrFree(), o) / 1000.0);
        assertThat(gauge("cvm.unusable.free.index", "t1", "zone", zone, "order", order))
            .isEqualTo(Fragmentation.unusableIndex(z.nrFree(), o) / 1000.0);
      }
    }
    assertThat(counter("cvm.page.alloc", "t1", "order", "3", "result", "success"))
        .isEqualTo(s.allocSuccess()[3]);
  }

  @Test
  void counters_increaseAfterAllocationsAndFrees() {
    GuestVm vm = create("t1", Platform.TDX, 2 * Sizes.GIB);
    double unaccepted = gauge("cvm.meminfo.unaccepted", "t1");
    double allocations = counter("cvm.page.alloc", "t1", "order", "0", "result", "success");
    double byAllocator = counter("cvm.accepted", "t1", "trigger", "allocator");
    double acceptTime = counter("cvm.accept.simulated", "t1");

    VmViews.Batch done = vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 200_000);

    assertThat(counter("cvm.page.alloc", "t1", "order", "0", "result", "success"))
        .isEqualTo(allocations + 200_000);
    assertThat(gauge("cvm.meminfo.unaccepted", "t1")).isLessThan(unaccepted);
    assertThat(counter("cvm.accepted", "t1", "trigger", "allocator")).isGreaterThan(byAllocator);
    assertThat(counter("cvm.accept.simulated", "t1")).isGreaterThan(acceptTime);
    assertThat(
            counter("cvm.accept.operations", "t1", "page_size", "4K")
                + counter("cvm.accept.operations", "t1", "page_size", "2M")
                + counter("cvm.accept.operations", "t1", "page_size", "1G"))
        .isPositive();

    double frees = counter("cvm.page.free", "t1", "order", "0");
    vm.free(done.pfns());

    assertThat(counter("cvm.page.free", "t1", "order", "0")).isEqualTo(frees + 200_000);
  }

  @Test
  void acceptedBytes_sumToWhatTheHostBacks() {
    GuestVm vm = create("t1", Platform.TDX, 2 * Sizes.GIB);
    vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 100_000);

    double accepted = 0;
    for (AcceptTrigger t : AcceptTrigger.values()) {
      accepted += counter("cvm.accepted", "t1", "trigger", t.tag());
    }
    assertThat(accepted).isEqualTo(gauge("cvm.host.backed", "t1")).isPositive();
  }

  @Test
  void extfragCounters_sumToTheSnapshotsTotal() {
    GuestVm vm = create("t1", Platform.TDX, 2 * Sizes.GIB);
    vm.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 150_000);
    vm.allocate(Gfp.GFP_KERNEL, 0, 50_000);
    vm.allocate(Gfp.GFP_KERNEL_RECLAIMABLE, 1, 20_000);
    MemorySnapshot s = vm.memory();

    double sum =
        registry.find("cvm.extfrag.events").tag("vm", "t1").functionCounters().stream()
            .mapToDouble(FunctionCounter::count)
            .sum();
    assertThat(sum).isEqualTo(s.extfragTotal()).isPositive();
    for (int a = 0; a < MigrateType.PCPTYPES; a++) {
      for (int f = 0; f < MigrateType.PCPTYPES; f++) {
        if (a != f) {
          assertThat(
                  counter(
                      "cvm.extfrag.events",
                      "t1",
                      "alloc_migratetype",
                      MigrateType.of(a).procName(),
                      "fallback_migratetype",
                      MigrateType.of(f).procName(),
                      "change_ownership",
                      "true"))
              .isEqualTo(s.extfrag()[a][f][1]);
        }
      }
    }
  }

  @Test
  void delete_removesEverySeriesOfThatVmOnly() {
    GuestVm gone = create("t1", Platform.TDX, 2 * Sizes.GIB);
    create("t2", Platform.TDX, 2 * Sizes.GIB);
    int t2Series = meters("t2").size();

    vms.delete(gone.id());

    assertThat(meters("t1")).isEmpty();
    assertThat(meters("t2")).hasSize(t2Series);
    String scrape = registry.scrape();
    assertThat(scrape).doesNotContain("vm=\"t1\"").contains("vm=\"t2\"");
    assertThat(gauge("cvm.vms")).isEqualTo(1);
  }

  @Test
  void deletingTheLastVm_leavesOnlyCvmVms() {
    GuestVm vm = create("t1", Platform.SNP, 2 * Sizes.GIB);

    vms.delete(vm.id());

    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getName())
        .filteredOn(name -> name.startsWith("cvm."))
        .containsExactly("cvm.vms");
    assertThat(PrometheusText.names(registry.scrape()))
        .filteredOn(name -> name.startsWith("cvm_"))
        .containsExactly("cvm_vms");
  }

  @Test
  void aVmRecreatedWithTheSameName_getsFreshSeries() {
    GuestVm first = create("t1", Platform.TDX, 2 * Sizes.GIB);
    first.allocate(Gfp.GFP_HIGHUSER_MOVABLE, 0, 1000);
    vms.delete(first.id());

    GuestVm second = create("t1", Platform.TDX, 2 * Sizes.GIB);

    assertThat(counter("cvm.page.alloc", "t1", "order", "0", "result", "success"))
        .isEqualTo(second.memory().allocSuccess()[0]);
    assertThat(meters("t1")).hasSize(MetricsContract.seriesPerBootedVm(populatedZones(second)));
  }

  @Test
  void meterReadAfterDelete_keepsItsLastValue() {
    GuestVm vm = create("t1", Platform.TDX, 2 * Sizes.GIB);
    FunctionCounter accepted =
        registry.get("cvm.accepted").tags("vm", "t1", "trigger", "firmware").functionCounter();
    double before = accepted.count();

    vms.delete(vm.id());

    assertThat(accepted.count()).isEqualTo(before).isPositive();
  }

  @Test
  void vmsThatExistWhenBound_getSeries() {
    VmRegistry existing = new VmRegistry(VmLimits.DEFAULTS, VmSettings.DEFAULTS);
    existing.create(spec("early", Platform.TDX, 2 * Sizes.GIB, BootStage.KERNEL));
    PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    new VmMeterBinder(existing, Duration.ZERO).bindTo(other);

    assertThat(other.find("cvm.meminfo.total").tag("vm", "early").gauge()).isNotNull();
    assertThat(other.get("cvm.vms").gauge().value()).isEqualTo(1);
  }

  @Test
  void vmWithoutName_isTaggedWithItsId() {
    GuestVm vm = create(null, Platform.NONE, 2 * Sizes.GIB);

    assertThat(meters(vm.id())).isNotEmpty();
    assertThat(registry.get("cvm.meminfo.unaccepted").tag("vm", vm.id()).tag("platform", "NONE"))
        .isNotNull();
    assertThat(gauge("cvm.meminfo.unaccepted", vm.id())).isZero();
  }

  @Test
  void nameEqualToAnotherVmsId_getsNoSeriesAndLeavesTheOtherAlone() {
    GuestVm unnamed = create(null, Platform.TDX, 2 * Sizes.GIB);
    int series = meters(unnamed.id()).size();

    GuestVm impostor = create(unnamed.id(), Platform.TDX, 2 * Sizes.GIB);
    vms.delete(impostor.id());

    assertThat(meters(unnamed.id())).hasSize(series);
  }

  @Test
  void vmStoppedAtFirmware_hasHostSeriesOnly_untilItsKernelBoots() {
    GuestVm vm = vms.create(spec("fw", Platform.TDX, 4 * Sizes.GIB, BootStage.FIRMWARE));

    assertThat(meters("fw")).hasSize(MetricsContract.HOST_SERIES);
    assertThat(PrometheusText.parse(registry.scrape()))
        .filteredOn(s -> "fw".equals(s.labels().get("vm")))
        .extracting(Sample::name)
        .hasSize(MetricsContract.HOST_SERIES)
        .allSatisfy(name -> assertThat(MetricsContract.HOST_SIDE).contains(name));
    assertThat(counter("cvm.accepted", "fw", "trigger", "firmware")).isPositive();

    vm.bootToKernel();
    registry.scrape(); // a host reading finds the kernel and registers its series

    assertThat(meters("fw")).hasSize(MetricsContract.seriesPerBootedVm(3));
    assertThat(gauge("cvm.meminfo.unaccepted", "fw"))
        .isEqualTo(vm.memory().unacceptedPages() * 4096.0);
    assertThat(PrometheusText.parse(registry.scrape()))
        .filteredOn(s -> "fw".equals(s.labels().get("vm")))
        .hasSize(MetricsContract.seriesPerBootedVm(3));
  }

  @Test
  void cvmVms_countsLiveVms() {
    assertThat(gauge("cvm.vms")).isZero();
    create("a", Platform.TDX, 2 * Sizes.GIB);
    create("b", Platform.SNP, 2 * Sizes.GIB);

    assertThat(gauge("cvm.vms")).isEqualTo(2);
    assertThat(PrometheusText.parse(registry.scrape()))
        .filteredOn(s -> s.name().equals("cvm_vms"))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).isEmpty());
  }

  // ------------------------------------------------------------------ helpers

  private List<Meter> meters(String vm) {
    return registry.getMeters().stream().filter(m -> vm.equals(m.getId().getTag("vm"))).toList();
  }

  private static int populatedZones(GuestVm vm) {
    return (int) vm.memory().zones().stream().filter(ZoneSnapshot::populated).count();
  }

  private double gauge(String name, String... vmAndTags) {
    if (vmAndTags.length == 0) {
      return registry.get(name).gauge().value();
    }
    return registry.get(name).tag("vm", vmAndTags[0]).tags(tail(vmAndTags)).gauge().value();
  }

  private double counter(String name, String vm, String... tags) {
    return registry.get(name).tag("vm", vm).tags(tags).functionCounter().count();
  }

  private static String[] tail(String[] a) {
    String[] t = new String[a.length - 1];
    System.arraycopy(a, 1, t, 0, t.length);
    return t;
  }

  private static Set<String> values(List<Sample> samples, String name, String label) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .map(s -> s.labels().get(label))
        .collect(Collectors.toSet());
  }
}
