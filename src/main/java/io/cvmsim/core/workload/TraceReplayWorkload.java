package io.cvmsim.core.workload;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.jobs.JobContext;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.vm.GuestVm;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a text trace of {@code kmem:mm_page_alloc} and {@code kmem:mm_page_free} events as {@code
 * perf script}, {@code trace-cmd report} or /sys/kernel/tracing/trace print them, or in the kernel
 * recorder's compact format ({@link TraceReader}, cvmsim-trace 1). Each traced allocation is made
 * again with the same order and the traced GFP mask; each traced free frees what the matching
 * allocation got here ({@link TraceReplayer}). {@code mm_page_free_batched} is not a second free
 * (the page's mm_page_free came first) and is skipped. Lines that are not one of these events are
 * skipped; lines that name one but cannot be read are counted and reported with their line numbers
 * (the first 100), never fatal.
 */
final class TraceReplayWorkload implements Workload {

  private static final int BATCH = 8192;
  private static final int MAX_REPORTED = 100;

  /** One parsed event on a CPU: an allocation (gfp set) or a free (gfp null). */
  record Event(int cpu, long pfn, int order, Gfp gfp) {}

  /** The "[001]" CPU field both perf script and ftrace print before the event. */
  private static final Pattern CPU = Pattern.compile("\\[(\\d+)\\]");

  /** The outcome of parsing. */
  record Parsed(
      List<Event> events, long lines, long ignored, long malformed, List<String> errors) {}

  private final String trace;
  private final long seed;
  private final Parsed parsed;
  private final Map<String, Object> params;

  TraceReplayWorkload(WorkloadParams p, Long defaultSeed) {
    p.allowOnly(Set.of("type", "trace", "seed"));
    this.trace = p.getString("trace", null, Integer.MAX_VALUE);
    if (trace == null || trace.isBlank()) {
      throw SimulatorException.badRequest("trace", "trace is required: the text of a trace");
    }
    this.seed = p.getLong("seed", defaultSeed, 0, Long.MAX_VALUE);
    this.parsed = parse(trace);
    Map<String, Object> eff = new LinkedHashMap<>(p.effective());
    eff.put("traceLines", parsed.lines());
    eff.put("traceEvents", (long) parsed.events().size());
    this.params = Map.copyOf(eff);
  }

  @Override
  public Map<String, Object> parameters() {
    return params;
  }

  /** Parses a trace in perf-script, ftrace or cvmsim-trace 1 text form. */
  static Parsed parse(String text) {
    if (text.startsWith(TraceReader.HEADER)) {
      return parseCompact(text);
    }
    List<Event> events = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long lines = 0;
    long ignored = 0;
    long malformed = 0;
    int start = 0;
    int len = text.length();
    while (start < len) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? len : nl;
      lines++;
      String line = text.substring(start, end);
      start = end + 1;
      int at = eventStart(line);
      if (at < 0) {
        ignored++;
        continue;
      }
      boolean alloc = line.startsWith("mm_page_alloc:", at);
      try {
        String fields = line.substring(line.indexOf(':', at) + 1);
        long pfn = -1;
        int order = -1;
        int migratetype = -1;
        String gfp = null;
        boolean nullPage = false;
        for (String f : fields.trim().split("\\s+")) {
          int eq = f.indexOf('=');
          if (eq <= 0) {
            continue;
          }
          String k = f.substring(0, eq);
          String v = f.substring(eq + 1);
          switch (k) {
            case "pfn" ->
                pfn = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            case "order" -> order = Integer.parseInt(v);
            case "migratetype" -> migratetype = Integer.parseInt(v);
            case "gfp_flags" -> gfp = v;
            case "page" -> nullPage = v.equals("(null)") || v.equals("0000000000000000");
            default -> {}
          }
        }
        if (order < 0 || order > Sizes.MAX_ORDER || (pfn < 0 && !nullPage)) {
          throw new IllegalArgumentException("missing or bad pfn/order");
        }
        if (alloc && nullPage) {
          ignored++;
          continue;
        }
        Matcher cpu = CPU.matcher(line.substring(0, at));
        int c = cpu.find() ? Integer.parseInt(cpu.group(1)) : 0;
        events.add(new Event(c, pfn, order, alloc ? gfpOf(gfp, migratetype) : null));
      } catch (RuntimeException e) {
        malformed++;
        if (errors.size() < MAX_REPORTED) {
          errors.add("line " + lines + ": " + e.getMessage() + ": " + abbreviate(line));
        }
      }
    }
    return new Parsed(events, lines, ignored, malformed, errors);
  }

  private static Parsed parseCompact(String text) {
    List<Event> events = new ArrayList<>();
    long[] lines = {0};
    try {
      TraceReader.read(
          new StringReader(text),
          new TraceReader.Visitor() {
            @Override
            public void marker(String phase, boolean begin) {
              lines[0]++;
            }

            @Override
            public void alloc(int cpu, long pfn, int order, Gfp gfp, int migratetype) {
              lines[0]++;
              if (pfn >= 0) {
                events.add(new Event(cpu, pfn, order, gfp));
              }
            }

            @Override
            public void free(int cpu, long pfn, int order) {
              lines[0]++;
              events.add(new Event(cpu, pfn, order, null));
            }

            @Override
            public void zoneLocked(int cpu, long pfn, int order, int mt, boolean refill) {
              lines[0]++;
            }

            @Override
            public void pcpuDrain(int cpu, long pfn, int order, int mt) {
              lines[0]++;
            }

            @Override
            public void extfrag(int cpu, long pfn, int ao, int fo, int am, int fm, boolean own) {
              lines[0]++;
            }

            @Override
            public void other(int cpu, String event, String rest) {
              lines[0]++;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw SimulatorException.badRequest("trace", e.getMessage());
    }
    return new Parsed(events, lines[0] + 1, lines[0] - events.size(), 0, List.of());
  }

  /** Returns where the event name starts ("mm_page_alloc:" etc.), or -1 if not one we replay. */
  private static int eventStart(String line) {
    for (String name : new String[] {"mm_page_alloc:", "mm_page_free:", "mm_page_free_batched:"}) {
      int i = line.indexOf(name);
      if (i >= 0 && (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == ':')) {
        // "kmem:mm_page_alloc:" (perf) or " mm_page_alloc:" (ftrace)
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the traced mask ({@link Gfp#parse}); a trace line without gfp_flags gets GFP_KERNEL or
   * GFP_HIGHUSER_MOVABLE or GFP_KERNEL_RECLAIMABLE by its migratetype field.
   */
  static Gfp gfpOf(String flags, int migratetype) {
    if (flags != null) {
      return Gfp.parse(flags);
    }
    return migratetype == 1
        ? Gfp.GFP_HIGHUSER_MOVABLE
        : migratetype == 2 ? Gfp.GFP_KERNEL_RECLAIMABLE : Gfp.GFP_KERNEL;
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s.strip() : s.substring(0, 157).strip() + "...";
  }

  @Override
  public WorkloadResult run(GuestVm vm, JobContext ctx) {
    RunMeter meter = new RunMeter(vm);
    List<Event> events = parsed.events();
    TraceReplayer replayer = new TraceReplayer(vm);
    for (int i = 0; i < events.size(); i++) {
      if ((i & (BATCH - 1)) == 0) {
        ctx.checkCancelled();
        ctx.progress((double) i / Math.max(1, events.size()));
      }
      Event e = events.get(i);
      if (e.gfp() != null) {
        replayer.alloc(e.cpu(), e.pfn(), e.order(), e.gfp());
      } else {
        replayer.free(e.cpu(), e.pfn(), e.order());
      }
    }
    replayer.flush();
    TraceReplayer.Counts c = replayer.counts();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("lines", parsed.lines());
    details.put("eventsReplayed", (long) events.size());
    details.put("ignoredLines", parsed.ignored());
    details.put("malformedLines", parsed.malformed());
    details.put("malformed", parsed.errors());
    details.put("unmatchedFrees", c.unmatchedFrees());
    details.put("freesOfFailedAllocations", c.freesOfFailed());
    details.put("stillAllocated", c.stillAllocated());
    return meter.finish(
        WorkloadType.TRACE_REPLAY.label(),
        seed,
        events.size(),
        c.allocations(),
        c.failures(),
        c.frees(),
        details);
  }
}
