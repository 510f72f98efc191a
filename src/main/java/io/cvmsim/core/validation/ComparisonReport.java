package io.cvmsim.core.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints comparisons: every measure as CSV, and the tables of docs/VALIDATION.md — per recording
 * and stage the headline distances, and the boot measures per zone. Distances print with three
 * decimals, so a table compares exactly with a later run ({@link #parseSummary}).
 */
public final class ComparisonReport {

  /** The headline measures of a stage, as the summary table's columns. */
  public static final List<String> SUMMARY =
      List.of(
          "free pages",
          "order TVD",
          "order×type TVD",
          "pageblocks Unmovable",
          "pageblocks Movable",
          "pageblocks Reclaimable",
          "extfrag events",
          "pcp pages",
          "kswapd wakes");

  private ComparisonReport() {}

  /** Returns every measure of {@code r} as CSV with a header line. */
  public static String csv(KernelComparison.Result r) {
    StringBuilder b = new StringBuilder();
    b.append("recording,kernel,model,stage,measure,kernel_value,cvmsim_value,distance\n");
    for (KernelComparison.Stage s : r.stages()) {
      for (Measure m : s.measures()) {
        b.append(r.recording())
            .append(',')
            .append(r.kernelRelease())
            .append(',')
            .append(r.model())
            .append(',')
            .append(s.name())
            .append(',')
            .append('"')
            .append(m.name())
            .append('"')
            .append(',')
            .append(m.kernel() == null ? "" : number(m.kernel()))
            .append(',')
            .append(m.cvmsim() == null ? "" : number(m.cvmsim()))
            .append(',')
            .append(distance(m.distance()))
            .append('\n');
      }
    }
    return b.toString();
  }

  /**
   * Returns the summary table: one row per recording and stage after boot, the distance of each
   * {@link #SUMMARY} measure, and the kernel's and cvmsim's values where they are counts.
   */
  public static String summaryTable(List<KernelComparison.Result> results) {
    StringBuilder b = new StringBuilder();
    b.append("| recording | stage |");
    for (String m : SUMMARY) {
      b.append(' ').append(m).append(" |");
    }
    b.append('\n').append("|---|---|");
    for (int i = 0; i < SUMMARY.size(); i++) {
      b.append("---:|");
    }
    b.append('\n');
    for (KernelComparison.Result r : results) {
      for (KernelComparison.Stage s : r.stages()) {
        if (s.name().equals("boot")) {
          continue;
        }
        b.append("| ").append(r.recording()).append(" | ").append(s.name()).append(" |");
        for (String name : SUMMARY) {
          Measure m = s.measure(name);
          b.append(' ').append(m == null ? "–" : cell(m)).append(" |");
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** Returns the boot table: every boot measure of every recording, one row each. */
  public static String bootTable(List<KernelComparison.Result> results) {
    StringBuilder b = new StringBuilder();
    b.append("| recording | measure | kernel | cvmsim | distance |\n");
    b.append("|---|---|---:|---:|---:|\n");
    for (KernelComparison.Result r : results) {
      KernelComparison.Stage boot = r.stage("boot");
      for (Measure m : boot.measures()) {
        b.append("| ")
            .append(r.recording())
            .append(" | ")
            .append(m.name())
            .append(" | ")
            .append(number(m.kernel()))
            .append(" | ")
            .append(number(m.cvmsim()))
            .append(" | ")
            .append(distance(m.distance()))
            .append(" |\n");
      }
    }
    return b.toString();
  }

  /**
   * Reads the distances back from tables this class printed: by "recording|stage|measure" (the boot
   * table's rows under stage "boot"). Rows that are not a table's are skipped.
   */
  public static Map<String, Double> parseSummary(String markdown) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<String> header = null;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("|---")) {
        continue;
      }
      if (!line.startsWith("| ")) {
        header = null;
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.length() - 1).split("\\|")) {
        cells.add(c.trim());
      }
      if (cells.get(0).equals("recording")) {
        header = cells;
        continue;
      }
      if (header == null || cells.get(0).startsWith("---")) {
        continue;
      }
      if (header.get(1).equals("measure")) {
        out.put(cells.get(0) + "|boot|" + cells.get(1), Double.parseDouble(cells.get(4)));
        continue;
      }
      for (int i = 2; i < cells.size() && i < header.size(); i++) {
        String c = cells.get(i);
        if (c.equals("–")) {
          continue;
        }
        String d = c.contains("(") ? c.substring(0, c.indexOf('(')).trim() : c;
        out.put(cells.get(0) + "|" + cells.get(1) + "|" + header.get(i), Double.parseDouble(d));
      }
    }
    return out;
  }

  /** Returns every distance of {@code results} by the keys {@link #parseSummary} reads. */
  public static Map<String, Double> distances(List<KernelComparison.Result> results) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (KernelComparison.Result r : results) {
      for (KernelComparison.Stage s : r.stages()) {
        for (Measure m : s.measures()) {
          if (s.name().equals("boot") || SUMMARY.contains(m.name())) {
            out.put(
                r.recording() + "|" + s.name() + "|" + m.name(),
                Double.parseDouble(distance(m.distance())));
          }
        }
      }
    }
    return out;
  }

  private static String cell(Measure m) {
    if (m.kernel() == null) {
      return distance(m.distance());
    }
    return distance(m.distance()) + " (" + number(m.kernel()) + "/" + number(m.cvmsim()) + ")";
  }

  private static String distance(double d) {
    return String.format(Locale.ROOT, "%.3f", d);
  }

  private static String number(Double v) {
    if (v == null) {
      return "";
    }
    return v == Math.rint(v) ? Long.toString(v.longValue()) : String.format(Locale.ROOT, "%.3f", v);
  }
}
