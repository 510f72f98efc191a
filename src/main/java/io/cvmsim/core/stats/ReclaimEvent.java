package io.cvmsim.core.stats;

/**
 * Reclaim's event counters: those /proc/vmstat prints, by their vmstat name (enum vm_event_item and
 * the node counters of mm/vmstat.c), and trace events the simulator counts too (no vmstat name).
 */
public enum ReclaimEvent {
  /** balance_pgdat() runs; one per mm_vmscan_kswapd_wake. */
  PAGEOUTRUN("pageoutrun"),
  PGSCAN_KSWAPD("pgscan_kswapd"),
  PGSCAN_DIRECT("pgscan_direct"),
  PGSTEAL_KSWAPD("pgsteal_kswapd"),
  PGSTEAL_DIRECT("pgsteal_direct"),
  PGSCAN_ANON("pgscan_anon"),
  PGSCAN_FILE("pgscan_file"),
  PGSTEAL_ANON("pgsteal_anon"),
  PGSTEAL_FILE("pgsteal_file"),
  PGACTIVATE("pgactivate"),
  PGDEACTIVATE("pgdeactivate"),
  PGREFILL("pgrefill"),
  PGROTATED("pgrotated"),
  NR_VMSCAN_IMMEDIATE("nr_vmscan_immediate_reclaim"),
  NR_DIRTIED("nr_dirtied"),
  NR_WRITTEN("nr_written"),
  /** mm_vmscan_wakeup_kswapd: allocations that woke (or would have woken) a sleeping kswapd. */
  WAKEUP_KSWAPD(null),
  /** mm_vmscan_kswapd_sleep. */
  KSWAPD_SLEEP(null),
  /** Allocations that failed where the kernel would have called the OOM killer. */
  OOM(null);

  private final String vmstatName;

  ReclaimEvent(String vmstatName) {
    this.vmstatName = vmstatName;
  }

  /** Returns the /proc/vmstat name, or null for a counter vmstat does not print. */
  public String vmstatName() {
    return vmstatName;
  }

  /** Returns the event with this /proc/vmstat name, or null. */
  public static ReclaimEvent ofVmstatName(String name) {
    for (ReclaimEvent e : values()) {
      if (name.equals(e.vmstatName)) {
        return e;
      }
    }
    return null;
  }
}
