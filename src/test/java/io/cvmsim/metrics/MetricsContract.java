package io.cvmsim.metrics;

import java.util.Map;
import java.util.Set;

/**
 * The table of METRICS.md (/work/shared/design/METRICS.md) as data: each Prometheus name with its
 * extra tags beyond {@code vm} and {@code platform}. Keep in step with the document.
 */
final class MetricsContract {

  /** The one series that is not per VM. */
  static final String VMS = "cvm_vms";

  /** Every per-VM name and its extra tags. */
  static final Map<String, Set<String>> PER_VM =
      Map.ofEntries(
          Map.entry("cvm_meminfo_total_bytes", Set.of()),
          Map.entry("cvm_meminfo_free_bytes", Set.of()),
          Map.entry("cvm_meminfo_available_bytes", Set.of()),
          Map.entry("cvm_meminfo_unaccepted_bytes", Set.of()),
          Map.entry("cvm_zone_free_pages", Set.of("zone")),
          Map.entry("cvm_zone_unaccepted_pages", Set.of("zone")),
          Map.entry("cvm_zone_watermark_pages", Set.of("zone", "level")),
          Map.entry("cvm_buddy_free_blocks", Set.of("zone", "order")),
          Map.entry("cvm_extfrag_index", Set.of("zone", "order")),
          Map.entry("cvm_unusable_free_index", Set.of("zone", "order")),
          Map.entry(
              "cvm_extfrag_events_total",
              Set.of("alloc_migratetype", "fallback_migratetype", "change_ownership")),
          Map.entry("cvm_page_alloc_total", Set.of("order", "result")),
          Map.entry("cvm_page_free_total", Set.of("order")),
          Map.entry("cvm_accepted_bytes_total", Set.of("trigger")),
          Map.entry("cvm_accept_operations_total", Set.of("page_size")),
          Map.entry("cvm_accept_simulated_seconds_total", Set.of()),
          Map.entry("cvm_host_backed_bytes", Set.of()));

  /** The per-VM names that exist before the kernel boots (the hypervisor's side). */
  static final Set<String> HOST_SIDE =
      Set.of(
          "cvm_host_backed_bytes",
          "cvm_accepted_bytes_total",
          "cvm_accept_operations_total",
          "cvm_accept_simulated_seconds_total");

  /** Host-side series per VM. */
  static final int HOST_SERIES = 11;

  private MetricsContract() {}

  /** Returns the series of a booted VM with {@code populatedZones} populated zones. */
  static int seriesPerBootedVm(int populatedZones) {
    return 60 + 39 * populatedZones;
  }
}
