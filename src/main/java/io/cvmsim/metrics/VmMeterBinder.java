package io.cvmsim.metrics;

import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.VmRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the series of METRICS.md for every guest of a {@link VmRegistry}: those that exist when
 * it is bound and every one added later; a deleted guest's meters are removed from the registry, so
 * no series of it remain.
 *
 * <p>Every per-VM series carries {@code vm} (the guest's name, or its id when it has none) and
 * {@code platform} ({@code TDX}, {@code SNP}, {@code NONE}). Cardinality is fixed per guest, with Z
 * its populated zones (1 to 3: DMA, DMA32, Normal) and 11 orders:
 *
 * <pre>
 *   host side (from the firmware on)                                          11
 *     cvm_host_backed_bytes 1, cvm_accepted_bytes_total{trigger} 6,
 *     cvm_accept_operations_total{page_size} 3, cvm_accept_simulated_seconds_total 1
 *   kernel side (once the kernel runs)                                   49 + 39·Z
 *     cvm_meminfo_{total,free,available,unaccepted}_bytes 4,
 *     cvm_page_alloc_total{order,result} 22, cvm_page_free_total{order} 11,
 *     cvm_extfrag_events_total{alloc_migratetype,fallback_migratetype,change_ownership} 12
 *       (the 6 ordered pairs of Unmovable, Movable, Reclaimable that fallbacks[] allows × 2)
 *     per zone: cvm_zone_free_pages 1, cvm_zone_unaccepted_pages 1,
 *       cvm_zone_watermark_pages{level} 4, cvm_buddy_free_blocks{order} 11,
 *       cvm_extfrag_index{order} 11, cvm_unusable_free_index{order} 11
 *   a booted guest                                           60 + 39·Z (at most 177)
 * </pre>
 *
 * plus one {@code cvm_vms} for the service. A guest created stopped at FIRMWARE or EFI_STUB has no
 * snapshot yet and shows only its 11 host-side series; its kernel-side series are registered by the
 * first scrape after its kernel boots and show from then on.
 *
 * <p>Two guests cannot share a {@code vm} tag value (a name may look like another guest's id): the
 * later one then gets no series, and a warning is logged.
 */
public final class VmMeterBinder implements MeterBinder {

  /** How long one reading of a guest serves its series: one scrape reads each guest once. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(VmMeterBinder.class);

  private final VmRegistry vms;
  private final Duration maxAge;

  /** Creates a binder for the guests of {@code vms}, reading each at most every 500 ms. */
  public VmMeterBinder(VmRegistry vms) {
    this(vms, DEFAULT_MAX_AGE);
  }

  /**
   * Creates a binder for the guests of {@code vms} that reads a guest again once its last reading
   * is {@code maxAge} old ({@link Duration#ZERO}: at every read).
   */
  public VmMeterBinder(VmRegistry vms, Duration maxAge) {
    this.vms = vms;
    this.maxAge = maxAge;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("cvm.vms", vms, VmRegistry::size)
        .description("Number of live VMs")
        .strongReference(true)
        .register(registry);
    Binding binding = new Binding(registry, maxAge);
    vms.onAdd(binding::add);
    vms.onRemove(binding::remove);
    for (GuestVm vm : vms.list()) {
      binding.add(vm);
    }
  }

  /** The guests' meter sets in one registry. */
  private static final class Binding {

    private final MeterRegistry registry;
    private final Duration maxAge;
    private final Map<String, GuestVmMeters> byId = new HashMap<>();
    private final Map<String, String> idByTag = new HashMap<>();

    Binding(MeterRegistry registry, Duration maxAge) {
      this.registry = registry;
      this.maxAge = maxAge;
    }

    /** Registers a guest's series; a guest seen before, or deleted already, is left alone. */
    synchronized void add(GuestVm vm) {
      if (vm.isDeleted() || byId.containsKey(vm.id())) {
        return;
      }
      String tag = vm.name() != null ? vm.name() : vm.id();
      String owner = idByTag.putIfAbsent(tag, vm.id());
      if (owner != null) {
        log.warn(
            "VM {} gets no metrics: its vm tag '{}' is already used by VM {}", vm.id(), tag, owner);
        return;
      }
      GuestVmMeters meters = new GuestVmMeters(vm, tag, registry, maxAge, this::kernelBooted);
      byId.put(vm.id(), meters);
      meters.registerHostMeters();
      meters.registerKernelMeters();
    }

    /** Removes every meter of a deleted guest. */
    synchronized void remove(GuestVm vm) {
      GuestVmMeters meters = byId.remove(vm.id());
      if (meters == null) {
        return;
      }
      idByTag.remove(meters.vmTag());
      meters.removeAll();
    }

    /** Registers the kernel-side series of a guest whose kernel booted after it was added. */
    synchronized void kernelBooted(GuestVmMeters meters) {
      if (byId.get(meters.vm().id()) == meters) {
        meters.registerKernelMeters();
      }
    }
  }
}
