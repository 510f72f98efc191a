package io.cvmsim.core.validation;

import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One moment of a guest as its /proc files show it, read into numbers: the kernel's files as
 * recorded, or cvmsim's as it prints them (rendered by {@link ProcFormat} and read back by the same
 * parsers, so both sides are treated alike).
 *
 * @param zones /proc/zoneinfo
 * @param buddyinfo /proc/buddyinfo
 * @param pagetypeinfo /proc/pagetypeinfo
 * @param meminfo /proc/meminfo (kB)
 * @param vmstat /proc/vmstat
 */
public record Views(
    List<KernelFiles.Zone> zones,
    Map<String, long[]> buddyinfo,
    KernelFiles.Pagetypeinfo pagetypeinfo,
    Map<String, Long> meminfo,
    Map<String, Long> vmstat) {

  /** Reads recorded files, by name. */
  public static Views ofFiles(Map<String, String> files) {
    return new Views(
        KernelFiles.zoneinfo(need(files, "zoneinfo")),
        KernelFiles.buddyinfo(need(files, "buddyinfo")),
        KernelFiles.pagetypeinfo(need(files, "pagetypeinfo")),
        KernelFiles.keyValues(need(files, "meminfo")),
        files.containsKey("vmstat") ? KernelFiles.keyValues(files.get("vmstat")) : Map.of());
  }

  /** Prints cvmsim's views of {@code s} and reads them back. */
  public static Views ofSnapshot(MemorySnapshot s) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("zoneinfo", ProcFormat.zoneinfo(s));
    files.put("buddyinfo", ProcFormat.buddyinfo(s));
    files.put("pagetypeinfo", ProcFormat.pagetypeinfo(s));
    files.put("meminfo", ProcFormat.meminfo(s));
    files.put("vmstat", ProcFormat.vmstat(s));
    return ofFiles(files);
  }

  private static String need(Map<String, String> files, String name) {
    String text = files.get(name);
    if (text == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return text;
  }

  /** Returns the zone of this name, or null. */
  public KernelFiles.Zone zone(String name) {
    for (KernelFiles.Zone z : zones) {
      if (z.name().equals(name)) {
        return z;
      }
    }
    return null;
  }

  /** Returns the populated zones' names, in zone order. */
  public List<String> populatedZones() {
    return zones.stream().filter(KernelFiles.Zone::populated).map(KernelFiles.Zone::name).toList();
  }
}
