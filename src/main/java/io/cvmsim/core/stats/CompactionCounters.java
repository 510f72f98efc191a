package io.cvmsim.core.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What compaction did since boot: the /proc/vmstat counters of mm/vmstat.c's vmstat_text[] under
 * CONFIG_COMPACTION and CONFIG_MIGRATION, and how often each compaction tracepoint fired.
 *
 * @param pgmigrateSuccess pgmigrate_success: pages migrated
 * @param pgmigrateFail pgmigrate_fail: pages that failed to migrate
 * @param migrateScanned compact_migrate_scanned
 * @param freeScanned compact_free_scanned
 * @param isolated compact_isolated
 * @param stall compact_stall: direct compactions
 * @param fail compact_fail: direct compactions after which the allocation failed
 * @param success compact_success: direct compactions after which it succeeded
 * @param daemonWake compact_daemon_wake: kcompactd runs
 * @param daemonMigrateScanned compact_daemon_migrate_scanned
 * @param daemonFreeScanned compact_daemon_free_scanned
 * @param events firings per tracepoint ({@code mm_compaction_*}), in a fixed order
 */
public record CompactionCounters(
    long pgmigrateSuccess,
    long pgmigrateFail,
    long migrateScanned,
    long freeScanned,
    long isolated,
    long stall,
    long fail,
    long success,
    long daemonWake,
    long daemonMigrateScanned,
    long daemonFreeScanned,
    Map<String, Long> events) {

  /** Copies the events. */
  public CompactionCounters {
    events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
  }

  /** Returns the /proc/vmstat value of {@code name}, or -1 if it is not a compaction counter. */
  public long vmstat(String name) {
    return switch (name) {
      case "pgmigrate_success" -> pgmigrateSuccess;
      case "pgmigrate_fail" -> pgmigrateFail;
      case "compact_migrate_scanned" -> migrateScanned;
      case "compact_free_scanned" -> freeScanned;
      case "compact_isolated" -> isolated;
      case "compact_stall" -> stall;
      case "compact_fail" -> fail;
      case "compact_success" -> success;
      case "compact_daemon_wake" -> daemonWake;
      case "compact_daemon_migrate_scanned" -> daemonMigrateScanned;
      case "compact_daemon_free_scanned" -> daemonFreeScanned;
      default -> -1;
    };
  }

  /** Returns what compaction did since {@code before} (an earlier reading of the same guest). */
  public CompactionCounters since(CompactionCounters before) {
    Map<String, Long> e = new LinkedHashMap<>();
    for (Map.Entry<String, Long> x : events.entrySet()) {
      e.put(x.getKey(), x.getValue() - before.events.getOrDefault(x.getKey(), 0L));
    }
    return new CompactionCounters(
        pgmigrateSuccess - before.pgmigrateSuccess,
        pgmigrateFail - before.pgmigrateFail,
        migrateScanned - before.migrateScanned,
        freeScanned - before.freeScanned,
        isolated - before.isolated,
        stall - before.stall,
        fail - before.fail,
        success - before.success,
        daemonWake - before.daemonWake,
        daemonMigrateScanned - before.daemonMigrateScanned,
        daemonFreeScanned - before.daemonFreeScanned,
        e);
  }
}
