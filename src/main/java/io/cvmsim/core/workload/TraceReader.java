package io.cvmsim.core.workload;

import io.cvmsim.core.memory.Gfp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a trace in the recorder's compact format, cvmsim-trace 1 (tools/kernel-corpus/FORMAT.md),
 * line by line into a {@link Visitor}, holding nothing but the current line. A line that does not
 * read as the format says is refused with an {@link IllegalArgumentException} naming it.
 */
public final class TraceReader {

  /** The first line of every trace. */
  public static final String HEADER = "# cvmsim-trace 1";

  /** Receives the events in trace order. */
  public interface Visitor {
    /** A phase marker ("cvmsim phase=NAME begin|end"). */
    void marker(String phase, boolean begin);

    /** kmem:mm_page_alloc; pfn -1 for a failed allocation. */
    void alloc(int cpu, long pfn, int order, Gfp gfp, int migratetype);

    /** kmem:mm_page_free. */
    void free(int cpu, long pfn, int order);

    /** kmem:mm_page_alloc_zone_locked: a block taken from the buddy lists. */
    void zoneLocked(int cpu, long pfn, int order, int migratetype, boolean percpuRefill);

    /** kmem:mm_page_pcpu_drain: a block given back from a per-cpu list to the buddy lists. */
    void pcpuDrain(int cpu, long pfn, int order, int migratetype);

    /** kmem:mm_page_alloc_extfrag. */
    void extfrag(
        int cpu,
        long pfn,
        int allocOrder,
        int fallbackOrder,
        int allocMigratetype,
        int fallbackMigratetype,
        boolean changeOwnership);

    /** Any other event (vmscan, compaction, mm_page_free_batched): its name and its text. */
    void other(int cpu, String event, String text);
  }

  private TraceReader() {}

  /** Reads the whole trace from {@code in} into {@code visitor}. */
  public static void read(Reader in, Visitor visitor) throws IOException {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    String line = r.readLine();
    if (line == null || !line.equals(HEADER)) {
      throw new IllegalArgumentException("not a cvmsim-trace 1: the first line is not " + HEADER);
    }
    Map<String, Gfp> masks = new HashMap<>();
    long n = 1;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        dispatch(line, visitor, masks);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "trace line "
                + n
                + " does not read as cvmsim-trace 1 ("
                + e.getMessage()
                + "): "
                + (line.length() > 120 ? line.substring(0, 120) + "..." : line),
            e);
      }
    }
  }

  private static void dispatch(String line, Visitor v, Map<String, Gfp> masks) {
    char kind = line.charAt(0);
    Fields f = new Fields(line);
    switch (kind) {
      case 'M' -> {
        String phase = f.word();
        String what = f.word();
        if (!what.equals("begin") && !what.equals("end")) {
          throw new IllegalArgumentException("a marker is begin or end");
        }
        v.marker(phase, what.equals("begin"));
      }
      case 'A' -> {
        int cpu = f.intValue();
        long pfn = f.longValue();
        int order = f.intValue();
        Gfp gfp = masks.computeIfAbsent(f.word(), Gfp::parse);
        v.alloc(cpu, pfn, order, gfp, f.intValue());
      }
      case 'F' -> v.free(f.intValue(), f.longValue(), f.intValue());
      case 'B' -> v.other(f.intValue(), "mm_page_free_batched", "pfn=" + f.longValue());
      case 'Z' ->
          v.zoneLocked(f.intValue(), f.longValue(), f.intValue(), f.intValue(), f.intValue() != 0);
      case 'D' -> v.pcpuDrain(f.intValue(), f.longValue(), f.intValue(), f.intValue());
      case 'X' ->
          v.extfrag(
              f.intValue(),
              f.longValue(),
              f.intValue(),
              f.intValue(),
              f.intValue(),
              f.intValue(),
              f.intValue() != 0);
      case 'E' -> {
        int cpu = f.intValue();
        String event = f.word();
        v.other(cpu, event, f.rest());
      }
      default -> throw new IllegalArgumentException("unknown event kind '" + kind + "'");
    }
  }

  /** The space-separated fields after the kind letter. */
  private static final class Fields {
    private final String line;
    private int at = 1;

    Fields(String line) {
      this.line = line;
    }

    String word() {
      if (at >= line.length() || line.charAt(at) != ' ') {
        throw new IllegalArgumentException("a field is missing");
      }
      int s = at + 1;
      int e = line.indexOf(' ', s);
      if (e < 0) {
        e = line.length();
      }
      at = e;
      return line.substring(s, e);
    }

    long longValue() {
      return Long.parseLong(word());
    }

    int intValue() {
      return Integer.parseInt(word());
    }

    String rest() {
      return at >= line.length() ? "" : line.substring(at + 1);
    }
  }
}
