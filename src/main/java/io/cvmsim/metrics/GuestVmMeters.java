package io.cvmsim.metrics;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.accept.AcceptTrigger;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.Fragmentation;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmViews;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one guest in one registry, and the readings they report.
 *
 * <p>Readings are cached for {@code maxAge}, so one scrape reads one snapshot and one host view per
 * guest, not one per series: {@link #snapshot()} calls {@link GuestVm#latestSnapshot()}, which
 * never waits for the guest's lock; {@link #host()} calls {@link GuestVm#host()}, which holds the
 * lock only to copy a few counters (it waits for a running command batch to end). Counters read
 * cumulative values from these readings, so they only grow.
 *
 * <p>The host-side series exist from the start; the kernel-side series (meminfo, zones, buddy,
 * fragmentation, allocation counters) once the guest's kernel runs. For a guest created stopped at
 * FIRMWARE or EFI_STUB and booted later, the first host reading that finds a snapshot asks the
 * binder (through {@code kernelBooted}) to register them.
 */
final class GuestVmMeters {

  /** {@code level} tag values, in the order of {@link ZoneSnapshot#wmark(int)}'s levels. */
  private static final String[] WATERMARK_LEVELS = {"min", "low", "high", "promo"};

  private static final VmViews.Host NO_HOST =
      new VmViews.Host(0, 0, 0, 0, 0, 0, 0, 0, 0, new long[AcceptTrigger.values().length]);

  private final GuestVm vm;
  private final String vmTag;
  private final Tags tags;
  private final MeterRegistry registry;
  private final long maxAgeNanos;
  private final Consumer<GuestVmMeters> kernelBooted;
  private final List<Meter> meters = new ArrayList<>();
  private volatile boolean kernelMeters;

  private MemorySnapshot snapshot;
  private long snapshotReadAt;
  private VmViews.Host host;
  private long hostReadAt;

  /**
   * Creates the meter set of {@code vm}, tagged {@code vm=vmTag}; registers nothing yet.
   *
   * @param kernelBooted called when a host reading first finds a kernel snapshot
   */
  GuestVmMeters(
      GuestVm vm,
      String vmTag,
      MeterRegistry registry,
      Duration maxAge,
      Consumer<GuestVmMeters> kernelBooted) {
    this.vm = vm;
    this.vmTag = vmTag;
    this.tags = Tags.of("vm", vmTag, "platform", vm.spec().platform().name());
    this.registry = registry;
    this.maxAgeNanos = maxAge.toNanos();
    this.kernelBooted = kernelBooted;
  }

  /** Returns the guest. */
  GuestVm vm() {
    return vm;
  }

  /** Returns the value of the {@code vm} tag. */
  String vmTag() {
    return vmTag;
  }

  // ------------------------------------------------------------------ readings

  /** Returns the latest snapshot, at most {@code maxAge} old; null before the kernel runs. */
  synchronized MemorySnapshot snapshot() {
    long now = System.nanoTime();
    if (snapshot == null || now - snapshotReadAt >= maxAgeNanos) {
      MemorySnapshot s = vm.latestSnapshot();
      if (s != null) {
        snapshot = s;
      }
      snapshotReadAt = now;
    }
    return snapshot;
  }

  /**
   * Returns the host view, at most {@code maxAge} old; the last one read once the guest is deleted
   * (zeros if it never was read).
   */
  VmViews.Host host() {
    VmViews.Host h;
    synchronized (this) {
      long now = System.nanoTime();
      if (host == null || now - hostReadAt >= maxAgeNanos) {
        try {
          host = vm.host();
        } catch (SimulatorException deleted) {
          // deleted between the registry's onRemove and this scrape: keep the last reading
          if (host == null) {
            host = NO_HOST;
          }
        }
        hostReadAt = now;
      }
      h = host;
    }
    if (!kernelMeters && snapshot() != null) {
      kernelBooted.accept(this);
    }
    return h;
  }

  // ------------------------------------------------------------------ registration

  /** Registers the host-side series (they exist from the firmware on). */
  void registerHostMeters() {
    gauge(
        "cvm.host.backed",
        BaseUnits.BYTES,
        "Memory the hypervisor had to back for this guest",
        tags,
        m -> m.host().backedBytes());
    for (AcceptTrigger t : AcceptTrigger.values()) {
      counter(
          "cvm.accepted",
          BaseUnits.BYTES,
          "Memory accepted, by what triggered the acceptance",
          tags.and("trigger", t.tag()),
          m -> m.host().acceptedBytesByTrigger()[t.ordinal()]);
    }
    for (PageSize p : PageSize.values()) {
      counter(
          "cvm.accept.operations",
          null,
          "TDG.MEM.PAGE.ACCEPT / PVALIDATE operations, by page size",
          tags.and("page_size", p.label()),
          m -> operations(m.host(), p));
    }
    counter(
        "cvm.accept.simulated",
        "seconds",
        "Simulated time spent accepting memory",
        tags,
        m -> m.host().simulatedAcceptNanos() / 1e9);
  }

  /**
   * Registers the kernel-side series once (the zones are those populated in the current snapshot);
   * does nothing before the kernel runs or when they are registered already.
   */
  synchronized void registerKernelMeters() {
    MemorySnapshot s = snapshot();
    if (kernelMeters || s == null) {
      return;
    }
    registerMeminfo();
    registerAllocatorCounters(s);
    List<ZoneSnapshot> zones = s.zones();
    for (int i = 0; i < zones.size(); i++) {
      if (zones.get(i).populated()) {
        registerZone(i, zones.get(i));
      }
    }
    kernelMeters = true;
  }

  /** Removes every meter of this guest from the registry. */
  void removeAll() {
    synchronized (meters) {
      for (Meter meter : meters) {
        registry.remove(meter);
      }
      meters.clear();
    }
  }

  private void registerMeminfo() {
    gauge(
        "cvm.meminfo.total",
        BaseUnits.BYTES,
        "MemTotal of /proc/meminfo",
        tags,
        m -> bytes(m.snapshot().totalPages()));
    gauge(
        "cvm.meminfo.free",
        BaseUnits.BYTES,
        "MemFree of /proc/meminfo (includes parked unaccepted memory, as the kernel does)",
        tags,
        m -> bytes(m.snapshot().freePages()));
    gauge(
        "cvm.meminfo.available",
        BaseUnits.BYTES,
        "MemAvailable of /proc/meminfo",
        tags,
        m -> bytes(m.snapshot().availablePages()));
    gauge(
        "cvm.meminfo.unaccepted",
        BaseUnits.BYTES,
        "The Unaccepted line of /proc/meminfo",
        tags,
        m -> bytes(m.snapshot().unacceptedPages()));
  }

  private void registerAllocatorCounters(MemorySnapshot s) {
    for (int o = 0; o < s.allocSuccess().length; o++) {
      int order = o;
      Tags orderTags = tags.and("order", Integer.toString(o));
      counter(
          "cvm.page.alloc",
          null,
          "Page allocations, by order and result",
          orderTags.and("result", "success"),
          m -> m.snapshot().allocSuccess()[order]);
      counter(
          "cvm.page.alloc",
          null,
          "Page allocations, by order and result",
          orderTags.and("result", "failure"),
          m -> m.snapshot().allocFailure()[order]);
    }
    for (int o = 0; o < s.frees().length; o++) {
      int order = o;
      counter(
          "cvm.page.free",
          null,
          "Page frees, by order",
          tags.and("order", Integer.toString(o)),
          m -> m.snapshot().frees()[order]);
    }
    // fallbacks[] only ever pairs two different pcp types, so other pairs stay zero forever
    for (int a = 0; a < MigrateType.PCPTYPES; a++) {
      for (int f = 0; f < MigrateType.PCPTYPES; f++) {
        if (a == f) {
          continue;
        }
        for (int c = 0; c < 2; c++) {
          int alloc = a;
          int fallback = f;
          int change = c;
          counter(
              "cvm.extfrag.events",
              null,
              "kmem:mm_page_alloc_extfrag firings, by migratetype pair and change_ownership",
              tags.and(
                  "alloc_migratetype", MigrateType.of(a).procName(),
                  "fallback_migratetype", MigrateType.of(f).procName(),
                  "change_ownership", Boolean.toString(c == 1)),
              m -> m.snapshot().extfrag()[alloc][fallback][change]);
        }
      }
    }
  }

  private void registerZone(int index, ZoneSnapshot zone) {
    Tags zoneTags = tags.and("zone", zone.name());
    gauge(
        "cvm.zone.free.pages",
        null,
        "NR_FREE_PAGES of the zone (parked unaccepted pages included)",
        zoneTags,
        m -> m.zone(index).freePages());
    gauge(
        "cvm.zone.unaccepted.pages",
        null,
        "NR_UNACCEPTED of the zone",
        zoneTags,
        m -> m.zone(index).unacceptedPages());
    for (int l = 0; l < WATERMARK_LEVELS.length; l++) {
      int level = l;
      gauge(
          "cvm.zone.watermark.pages",
          null,
          "Zone watermarks (boost included), by level",
          zoneTags.and("level", WATERMARK_LEVELS[l]),
          m -> m.zone(index).wmark(level));
    }
    for (int o = 0; o < zone.nrFree().length; o++) {
      int order = o;
      Tags orderTags = zoneTags.and("order", Integer.toString(o));
      gauge(
          "cvm.buddy.free.blocks",
          null,
          "Free blocks per order, as /proc/buddyinfo",
          orderTags,
          m -> m.zone(index).nrFree()[order]);
      gauge(
          "cvm.extfrag.index",
          null,
          "debugfs extfrag_index as a ratio (-1 where the order would succeed)",
          orderTags,
          m -> Fragmentation.fragmentationIndex(m.zone(index).nrFree(), order) / 1000.0);
      gauge(
          "cvm.unusable.free.index",
          null,
          "debugfs unusable_index as a ratio",
          orderTags,
          m -> Fragmentation.unusableIndex(m.zone(index).nrFree(), order) / 1000.0);
    }
  }

  private ZoneSnapshot zone(int index) {
    return snapshot().zones().get(index);
  }

  private static double bytes(long pages) {
    return (double) (pages << Sizes.PAGE_SHIFT);
  }

  private static double operations(VmViews.Host h, PageSize size) {
    return switch (size) {
      case SIZE_4K -> h.operations4k();
      case SIZE_2M -> h.operations2m();
      case SIZE_1G -> h.operations1g();
    };
  }

  private void gauge(
      String name,
      String baseUnit,
      String description,
      Tags meterTags,
      ToDoubleFunction<GuestVmMeters> value) {
    add(
        Gauge.builder(name, this, value)
            .baseUnit(baseUnit)
            .description(description)
            .tags(meterTags)
            .strongReference(true)
            .register(registry));
  }

  private void counter(
      String name,
      String baseUnit,
      String description,
      Tags meterTags,
      ToDoubleFunction<GuestVmMeters> value) {
    // FunctionCounter keeps a weak reference; the binder holds this object strongly until removal
    add(
        FunctionCounter.builder(name, this, value)
            .baseUnit(baseUnit)
            .description(description)
            .tags(meterTags)
            .register(registry));
  }

  private void add(Meter meter) {
    synchronized (meters) {
      meters.add(meter);
    }
  }
}
