package io.cvmsim.core.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the files a recorded kernel wrote (/proc/zoneinfo, buddyinfo, pagetypeinfo, meminfo,
 * vmstat, debugfs extfrag, /proc/iomem, the e820 map in dmesg) back into numbers, as the kernel's
 * printf formats lay them out (mm/vmstat.c, fs/proc/meminfo.c, kernel/resource.c,
 * arch/x86/kernel/e820.c). A file that does not read as its format says is refused with an {@link
 * IllegalArgumentException} naming the line.
 */
public final class KernelFiles {

  private KernelFiles() {}

  /** One CPU's pageset of a zone: count, high and batch as zoneinfo prints them. */
  public record Pageset(int cpu, long count, long high, long batch) {}

  /**
   * One zone of /proc/zoneinfo.
   *
   * @param name "DMA", "DMA32", "Normal", "Movable", "Device"
   * @param pagesFree "pages free"
   * @param boost the watermark boost
   * @param min the min watermark (boost included, as printed)
   * @param low the low watermark
   * @param high the high watermark
   * @param promo the promo watermark, or -1 where the kernel prints none
   * @param spanned spanned pages
   * @param present present pages
   * @param managed managed pages
   * @param protection lowmem_reserve[]
   * @param pagesets one per CPU (empty for an unpopulated zone)
   * @param stats the zone's counters (nr_free_pages, ...)
   */
  public record Zone(
      String name,
      long pagesFree,
      long boost,
      long min,
      long low,
      long high,
      long promo,
      long spanned,
      long present,
      long managed,
      long[] protection,
      List<Pageset> pagesets,
      Map<String, Long> stats) {

    /** Returns whether the zone has present pages. */
    public boolean populated() {
      return present > 0;
    }

    /** Returns the pages on the per-cpu lists of all CPUs. */
    public long pcpCount() {
      long n = 0;
      for (Pageset p : pagesets) {
        n += p.count();
      }
      return n;
    }
  }

  private static final Pattern ZONE_HEAD = Pattern.compile("^Node (\\d+), zone +(\\S+)$");

  /** Parses /proc/zoneinfo: every zone, populated or not, in the order printed. */
  public static List<Zone> zoneinfo(String text) {
    List<Zone> zones = new ArrayList<>();
    String[] lines = text.split("\n");
    int i = 0;
    while (i < lines.length) {
      Matcher m = ZONE_HEAD.matcher(lines[i]);
      if (!m.matches()) {
        i++;
        continue;
      }
      String name = m.group(2);
      Map<String, Long> fields = new LinkedHashMap<>();
      Map<String, Long> stats = new LinkedHashMap<>();
      long[] protection = null;
      List<Pageset> pagesets = new ArrayList<>();
      boolean inNodeStats = false;
      int cpu = -1;
      long count = -1;
      long high = -1;
      i++;
      for (; i < lines.length && !ZONE_HEAD.matcher(lines[i]).matches(); i++) {
        String line = lines[i];
        String t = line.trim();
        if (t.isEmpty()) {
          continue;
        }
        if (t.equals("per-node stats")) {
          inNodeStats = true;
          continue;
        }
        if (t.startsWith("pages free")) {
          inNodeStats = false;
          fields.put("free", lastNumber(t, i));
          continue;
        }
        if (t.startsWith("protection:")) {
          protection = numbersIn(t.substring(t.indexOf('(') + 1, t.indexOf(')')), i);
          continue;
        }
        if (t.startsWith("cpu:")) {
          cpu = (int) lastNumber(t, i);
          continue;
        }
        if (t.startsWith("count:")) {
          count = lastNumber(t, i);
          continue;
        }
        if (t.startsWith("high:")) {
          high = lastNumber(t, i);
          continue;
        }
        if (t.startsWith("batch:")) {
          pagesets.add(new Pageset(cpu, count, high, lastNumber(t, i)));
          continue;
        }
        if (t.equals("pagesets") || t.startsWith("vm stats threshold")) {
          continue;
        }
        String[] kv = t.split("\\s+");
        if (kv.length != 2) {
          throw bad("zoneinfo", i, line);
        }
        long v = number(kv[1], i);
        if (inNodeStats || kv[0].endsWith(":")) {
          // per-node stats belong to the node; "start_pfn:", "high_min:" ... are not counters
          continue;
        }
        switch (kv[0]) {
          case "boost", "min", "low", "high", "promo", "spanned", "present", "managed", "cma" ->
              fields.put(kv[0], v);
          default -> stats.put(kv[0], v);
        }
      }
      if (protection == null || !fields.containsKey("managed")) {
        throw new IllegalArgumentException("zoneinfo: zone " + name + " has no managed/protection");
      }
      zones.add(
          new Zone(
              name,
              fields.getOrDefault("free", 0L),
              fields.getOrDefault("boost", 0L),
              fields.get("min"),
              fields.get("low"),
              fields.get("high"),
              fields.getOrDefault("promo", -1L),
              fields.get("spanned"),
              fields.get("present"),
              fields.get("managed"),
              protection,
              List.copyOf(pagesets),
              stats));
    }
    return zones;
  }

  /** Parses /proc/buddyinfo: free blocks per order, by zone name. */
  public static Map<String, long[]> buddyinfo(String text) {
    Map<String, long[]> out = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      if (t.isEmpty()) {
        continue;
      }
      String[] w = t.split("\\s+");
      if (w.length < 5 || !w[0].equals("Node") || !w[2].equals("zone")) {
        throw bad("buddyinfo", i, lines[i]);
      }
      long[] counts = new long[w.length - 4];
      for (int k = 4; k < w.length; k++) {
        counts[k - 4] = number(w[k], i);
      }
      out.put(w[3], counts);
    }
    return out;
  }

  /**
   * /proc/pagetypeinfo.
   *
   * @param types the migrate type names in the kernel's order ("Unmovable", "Movable", ...)
   * @param free free blocks per order, by zone and then type
   * @param pageblocks pageblocks per type, by zone
   */
  public record Pagetypeinfo(
      List<String> types, Map<String, Map<String, long[]>> free, Map<String, long[]> pageblocks) {}

  /** Parses /proc/pagetypeinfo. */
  public static Pagetypeinfo pagetypeinfo(String text) {
    Map<String, Map<String, long[]>> free = new LinkedHashMap<>();
    Map<String, long[]> blocks = new LinkedHashMap<>();
    List<String> types = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      if (t.startsWith("Number of blocks type")) {
        for (String w : t.substring("Number of blocks type".length()).trim().split("\\s+")) {
          types.add(w);
        }
        continue;
      }
      if (!t.startsWith("Node")) {
        continue;
      }
      int typeAt = t.indexOf(", type ");
      String[] w = t.replace(",", " ").split("\\s+");
      if (typeAt >= 0) {
        // Node    0, zone      DMA, type    Unmovable      0      0 ...
        String zone = w[3];
        String type = w[5];
        long[] counts = new long[w.length - 6];
        for (int k = 6; k < w.length; k++) {
          counts[k - 6] = number(w[k], i);
        }
        free.computeIfAbsent(zone, z -> new LinkedHashMap<>()).put(type, counts);
      } else {
        // Node 0, zone      DMA            1            7 ...
        String zone = w[3];
        long[] counts = new long[w.length - 4];
        for (int k = 4; k < w.length; k++) {
          counts[k - 4] = number(w[k], i);
        }
        blocks.put(zone, counts);
      }
    }
    if (types.isEmpty()) {
      throw new IllegalArgumentException("pagetypeinfo: no 'Number of blocks type' line");
    }
    return new Pagetypeinfo(List.copyOf(types), free, blocks);
  }

  /**
   * Parses "name value" or "Name: value kB" lines (/proc/vmstat, /proc/meminfo): values as printed
   * (meminfo in kB).
   */
  public static Map<String, Long> keyValues(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      if (t.isEmpty()) {
        continue;
      }
      String[] w = t.split("\\s+");
      if (w.length < 2) {
        throw bad("key-value file", i, lines[i]);
      }
      String key = w[0].endsWith(":") ? w[0].substring(0, w[0].length() - 1) : w[0];
      out.put(key, number(w[1], i));
    }
    return out;
  }

  /** Parses debugfs extfrag/extfrag_index or unusable_index: thousandths per order, by zone. */
  public static Map<String, int[]> fragmentationIndex(String text) {
    Map<String, int[]> out = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      if (t.isEmpty()) {
        continue;
      }
      String[] w = t.split("\\s+");
      if (w.length < 5) {
        throw bad("fragmentation index", i, lines[i]);
      }
      int[] v = new int[w.length - 4];
      for (int k = 4; k < w.length; k++) {
        String s = w[k];
        boolean neg = s.startsWith("-");
        String[] p = (neg ? s.substring(1) : s).split("\\.");
        if (p.length != 2) {
          throw bad("fragmentation index", i, lines[i]);
        }
        int x = (int) (number(p[0], i) * 1000 + number(p[1], i));
        v[k - 4] = neg ? -x : x;
      }
      out.put(w[3], v);
    }
    return out;
  }

  /** One range of the firmware's e820 map as dmesg prints it: [start, end) and its type. */
  public record E820Range(long start, long end, String type) {

    /** Returns whether the kernel may use it as RAM. */
    public boolean usable() {
      return type.equals("usable");
    }
  }

  private static final Pattern E820 =
      Pattern.compile("BIOS-e820: \\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\\] (.+)$");

  /** Returns the firmware's e820 map from dmesg's "BIOS-e820:" lines, end exclusive. */
  public static List<E820Range> e820(String dmesg) {
    List<E820Range> out = new ArrayList<>();
    for (String line : dmesg.split("\n")) {
      Matcher m = E820.matcher(line);
      if (m.find()) {
        long start = Long.parseUnsignedLong(m.group(1), 16);
        long last = Long.parseUnsignedLong(m.group(2), 16);
        out.add(new E820Range(start, last + 1, m.group(3).trim().toLowerCase(Locale.ROOT)));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("dmesg has no BIOS-e820 lines");
    }
    return out;
  }

  /**
   * Returns where the kernel image lies, from /proc/iomem's "Kernel code" .. "Kernel bss" lines:
   * {start of code, end of bss}, end exclusive.
   */
  public static long[] kernelImage(String iomem) {
    long start = -1;
    long end = -1;
    for (String line : iomem.split("\n")) {
      String t = line.trim();
      int colon = t.indexOf(" : ");
      if (colon < 0 || !t.substring(colon + 3).startsWith("Kernel ")) {
        continue;
      }
      String[] r = t.substring(0, colon).split("-");
      long s = Long.parseUnsignedLong(r[0], 16);
      long e = Long.parseUnsignedLong(r[1], 16) + 1;
      start = start < 0 ? s : Math.min(start, s);
      end = Math.max(end, e);
    }
    if (start < 0) {
      throw new IllegalArgumentException("iomem names no Kernel code/data ranges");
    }
    return new long[] {start, end};
  }

  /**
   * Memory the kernel handed to the page allocator only after its initcalls ran, so after it had
   * computed its watermarks and lowmem reserves: the initrd (freed once unpacked) and the kernel
   * image's init sections and gaps (free_initmem() and mark_rodata_ro()), as dmesg's "Freeing ...
   * memory: NK" lines count them. "Freeing SMP alternatives memory" comes before the initcalls and
   * is not counted.
   *
   * @param initrdStart where the initrd lay (dmesg's RAMDISK line), or -1
   * @param initrdBytes the initrd freed
   * @param imageBytes the kernel image's memory freed (init sections, gaps, unused decrypted)
   */
  public record LateFrees(long initrdStart, long initrdBytes, long imageBytes) {}

  private static final Pattern RAMDISK =
      Pattern.compile("RAMDISK: \\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\\]");
  private static final Pattern FREEING = Pattern.compile("Freeing (.+) memory: (\\d+)K");

  /** Returns the memory dmesg says was freed after the initcalls. */
  public static LateFrees lateFrees(String dmesg) {
    long initrdStart = -1;
    long initrd = 0;
    long image = 0;
    for (String line : dmesg.split("\n")) {
      Matcher r = RAMDISK.matcher(line);
      if (r.find()) {
        initrdStart = Long.parseUnsignedLong(r.group(1), 16);
      }
      Matcher f = FREEING.matcher(line);
      if (!f.find()) {
        continue;
      }
      long bytes = Long.parseLong(f.group(2)) << 10;
      String what = f.group(1);
      if (what.equals("initrd")) {
        initrd += bytes;
      } else if (what.startsWith("unused")) {
        image += bytes;
      }
    }
    return new LateFrees(initrdStart, initrd, image);
  }

  private static long lastNumber(String t, int line) {
    String[] w = t.split("\\s+");
    return number(w[w.length - 1], line);
  }

  private static long[] numbersIn(String s, int line) {
    String[] w = s.split(",");
    long[] out = new long[w.length];
    for (int k = 0; k < w.length; k++) {
      out[k] = number(w[k].trim(), line);
    }
    return out;
  }

  private static long number(String s, int line) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + (line + 1) + ": '" + s + "' is not a number", e);
    }
  }

  private static IllegalArgumentException bad(String what, int line, String text) {
    return new IllegalArgumentException(
        what + ": line " + (line + 1) + " does not read as the kernel prints it: " + text);
  }
}
