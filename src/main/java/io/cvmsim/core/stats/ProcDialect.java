package io.cvmsim.core.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What differs between kernels in the text of /proc/meminfo, /proc/vmstat, /proc/zoneinfo and
 * /proc/pagetypeinfo, as data: the names each file prints, in print order, for an x86-64
 * distribution configuration. The lists live in {@code *.dialect} files next to this class; those
 * of 6.1 and 6.12 were read off Debian's kernels by tools/kernel-corpus/dialect from the bundled
 * recordings (ProcDialectTest checks they still agree), those of 6.5 and mainline were written from
 * the kernel source (mm/vmstat.c vmstat_text[], fs/proc/meminfo.c).
 */
public enum ProcDialect {
  /** Linux 6.1 (Debian 12): no CMA, no unaccepted memory. */
  LINUX_6_1("linux-6.1.dialect"),
  /** Linux 6.5: nr_unaccepted and the Unaccepted line. */
  LINUX_6_5("linux-6.5.dialect"),
  /** Linux 6.12 (Debian 12 backports): the promo watermark, Unaccepted, no CMA. */
  LINUX_6_12("linux-6.12.dialect"),
  /** Mainline: nr_free_pages_blocks, a promo line and a Balloon line. */
  MAINLINE("mainline.dialect");

  private final List<String> meminfo;
  private final List<String> vmstat;
  private final List<String> nodeStats;
  private final List<String> zoneStats;
  private final List<String> pagetypes;
  private final boolean promoLine;

  ProcDialect(String resource) {
    Map<String, List<String>> sections = read(resource);
    this.meminfo = section(sections, "meminfo", resource);
    this.vmstat = section(sections, "vmstat", resource);
    this.nodeStats = section(sections, "zoneinfo-node", resource);
    this.zoneStats = section(sections, "zoneinfo-zone", resource);
    this.pagetypes = section(sections, "pagetypeinfo", resource);
    this.promoLine = sections.getOrDefault("zoneinfo-lines", List.of()).contains("promo");
  }

  private static Map<String, List<String>> read(String resource) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (InputStream in = ProcDialect.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("dialect " + resource + " is missing");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String> current = null;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        if (t.startsWith("[") && t.endsWith("]")) {
          current = new ArrayList<>();
          out.put(t.substring(1, t.length() - 1), current);
        } else if (current != null) {
          current.add(t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<String> section(Map<String, List<String>> s, String name, String resource) {
    List<String> l = s.get(name);
    if (l == null || l.isEmpty()) {
      throw new IllegalStateException("dialect " + resource + " has no [" + name + "] section");
    }
    return List.copyOf(l);
  }

  /** Returns /proc/meminfo's fields in print order. */
  public List<String> meminfo() {
    return meminfo;
  }

  /** Returns /proc/vmstat's items in print order. */
  public List<String> vmstat() {
    return vmstat;
  }

  /** Returns zoneinfo's per-node counters (printed in the first populated zone) in order. */
  public List<String> nodeStats() {
    return nodeStats;
  }

  /** Returns zoneinfo's per-zone counters (zone stats, then NUMA stats) in print order. */
  public List<String> zoneStats() {
    return zoneStats;
  }

  /** Returns pagetypeinfo's migrate type names in print order. */
  public List<String> pagetypes() {
    return pagetypes;
  }

  /** Returns whether /proc/zoneinfo prints the promo watermark. */
  public boolean promoLine() {
    return promoLine;
  }
}
