package io.cvmsim.sweep;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadType;
import io.cvmsim.scenario.ScenarioLimits;
import io.cvmsim.scenario.ScenarioParser;
import io.cvmsim.scenario.VmFields;
import io.cvmsim.scenario.doc.Documents;
import io.cvmsim.scenario.doc.Fields;
import io.cvmsim.scenario.doc.Mark;
import io.cvmsim.scenario.doc.Node;
import io.cvmsim.scenario.doc.Problems;
import io.cvmsim.scenario.expr.Catalog;
import io.cvmsim.scenario.expr.Expr;
import io.cvmsim.scenario.expr.ExprException;
import io.cvmsim.scenario.expr.ExprParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and checks a sweep file (docs/SCENARIOS.md, "Sweeps"): the axes, the shared guest settings,
 * the workloads with their parameters and the measures, and the limits, before anything runs; every
 * problem is reported at once with its line and column.
 */
public final class SweepParser {

  /** The most configurations one sweep may have. */
  public static final long MAX_CONFIGURATIONS = 1_000_000;

  /** The name the measures' probe gives the configuration's guest. */
  static final String VM = "config";

  private final Problems problems;
  private final ScenarioLimits limits;
  private final long defaultSeed;

  private SweepParser(Problems problems, ScenarioLimits limits, long defaultSeed) {
    this.problems = problems;
    this.limits = limits;
    this.defaultSeed = defaultSeed;
  }

  /**
   * Returns the sweep {@code text} describes.
   *
   * @param defaultSeed the seeds axis when the file gives none
   * @throws io.cvmsim.scenario.doc.DocumentException with every problem found
   */
  public static Sweep parse(
      String text,
      Documents.Format format,
      String source,
      ScenarioLimits limits,
      long defaultSeed) {
    limits.checkFile(text, source);
    Node root = Documents.parse(text, format, source);
    Problems problems = new Problems(source);
    Sweep s = new SweepParser(problems, limits, defaultSeed).sweep(root, sha256(text));
    problems.throwIfAny();
    return s;
  }

  /** Returns the SHA-256 of the text's UTF-8 bytes in hex. */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private Sweep sweep(Node root, String sha) {
    Fields top = Fields.of(root, "", problems);
    String name = top.string("name", true);
    if (name != null && !ScenarioParser.NAME.matcher(name).matches()) {
      problems.add(
          top.node("name").mark(),
          "name",
          "name must match [a-z0-9][a-z0-9-]{0,62}, got '" + name + "'");
    }
    String description = top.string("description", false);
    List<Long> sizes = axis(top, "memorySizes", true, n -> Fields.size(n, "", "a size", problems));
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i) != null && sizes.get(i) > limits.maxMemoryPerVm()) {
        Node n = top.list("memorySizes", false).get(i);
        problems.overLimit(
            n.mark(),
            "memorySizes[" + i + "]",
            Sizes.format(sizes.get(i))
                + " is over cvmsim.limits.max-memory-per-vm ("
                + Sizes.format(limits.maxMemoryPerVm())
                + ")");
      }
    }
    List<Platform> platforms = enumAxis(top, "platforms", Platform::ofName, List.of(Platform.TDX));
    List<KernelModel> kernels =
        enumAxis(top, "kernels", KernelModel::ofLabel, List.of(KernelModel.V6_5));
    List<AcceptPolicy> policies =
        enumAxis(
            top, "policies", AcceptPolicy::ofName, List.of(AcceptPolicy.LAZY, AcceptPolicy.EAGER));
    List<Sweep.Workload> workloads = workloads(top);
    List<Long> seeds = seeds(top);
    Long vcpus = top.integer("vcpus", false, 1, VmSpec.MAX_VCPUS);
    PageSize host = VmFields.parsed(top, "hostPageSize", PageSize::ofLabel);
    Long firmware = top.size("firmwareAcceptedBytes", false);
    Boolean thp = top.bool("khugepaged");
    Set<KernelModel> kernelSet = new LinkedHashSet<>(kernels);
    List<Sweep.Measure> measures = measures(top, kernelSet, !workloads.isEmpty());
    top.finish();
    Sweep.Guest guest =
        new Sweep.Guest(
            vcpus == null ? 4 : vcpus.intValue(),
            host,
            firmware,
            thp != null ? thp : VmSpec.DEFAULT_KHUGEPAGED);
    Sweep s =
        new Sweep(
            name,
            description,
            sha,
            nonNull(sizes),
            platforms,
            kernels,
            policies,
            workloads,
            seeds,
            guest,
            measures);
    if (!problems.any() && s.size() > MAX_CONFIGURATIONS) {
      problems.overLimit(
          top.mark(),
          "",
          "the sweep has " + s.size() + " configurations; at most " + MAX_CONFIGURATIONS);
    }
    if (!problems.any()) {
      checkGuests(s, top);
    }
    return s;
  }

  /** Checks each size × platform × kernel × policy guest the way the API checks a VM. */
  private void checkGuests(Sweep s, Fields top) {
    for (long m : s.memorySizes()) {
      for (Platform p : s.platforms()) {
        for (KernelModel k : s.kernels()) {
          for (AcceptPolicy a : s.policies()) {
            try {
              new Sweep.Configuration(0, m, p, k, a, null, 0).spec(s.guest());
            } catch (SimulatorException e) {
              problems.add(top.mark(), e.field() == null ? "" : e.field(), e.getMessage());
              return;
            }
          }
        }
      }
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    List<T> out = new ArrayList<>();
    for (T t : list) {
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  private <T> List<T> axis(Fields top, String key, boolean required, Function<Node, T> read) {
    List<Node> nodes = top.list(key, required);
    List<T> out = new ArrayList<>();
    if (nodes == null) {
      return out;
    }
    if (nodes.isEmpty()) {
      problems.add(top.node(key).mark(), key, key + " is empty: give at least one value");
    }
    for (Node n : nodes) {
      out.add(read.apply(n));
    }
    return out;
  }

  private <T> List<T> enumAxis(
      Fields top, String key, Function<String, T> parser, List<T> defaults) {
    if (!top.has(key)) {
      return defaults;
    }
    List<T> out =
        axis(
            top,
            key,
            false,
            n -> {
              if (!(n instanceof Node.Scalar s) || s.kind() == Node.Kind.NULL) {
                problems.add(n.mark(), key, key + " takes names, not " + n.describe());
                return null;
              }
              try {
                return parser.apply(s.text());
              } catch (IllegalArgumentException e) {
                problems.add(n.mark(), key, e.getMessage());
                return null;
              }
            });
    List<T> values = nonNull(out);
    if (new LinkedHashSet<>(values).size() != values.size()) {
      problems.add(top.node(key).mark(), key, key + " lists a value twice");
    }
    return values;
  }

  private List<Long> seeds(Fields top) {
    Node n = top.node("seeds");
    if (n == null) {
      return List.of(defaultSeed);
    }
    if (n instanceof Node.Mapping) {
      Fields f = Fields.of(n, "seeds", problems);
      Long from = f.integer("from", true, 0, Long.MAX_VALUE);
      Long to = f.integer("to", true, 0, Long.MAX_VALUE);
      f.finish();
      if (from == null || to == null) {
        return List.of(0L);
      }
      if (to < from || to - from >= MAX_CONFIGURATIONS) {
        problems.add(
            n.mark(), "seeds", "seeds {from, to} needs from <= to and at most a million seeds");
        return List.of(0L);
      }
      List<Long> out = new ArrayList<>();
      for (long s = from; s <= to; s++) {
        out.add(s);
      }
      return out;
    }
    List<Long> out =
        nonNull(
            axis(
                top,
                "seeds",
                false,
                x -> Fields.integer(x, "seeds", "a seed", 0, Long.MAX_VALUE, problems)));
    if (new LinkedHashSet<>(out).size() != out.size()) {
      problems.add(n.mark(), "seeds", "seeds lists a seed twice");
    }
    return out.isEmpty() ? List.of(defaultSeed) : out;
  }

  private List<Sweep.Workload> workloads(Fields top) {
    List<Node> nodes = top.list("workloads", false);
    List<Sweep.Workload> out = new ArrayList<>();
    if (nodes == null) {
      return out;
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      String path = "workloads[" + i + "]";
      Node n = nodes.get(i);
      if (!(n instanceof Node.Mapping m)) {
        problems.add(n.mark(), path, "a workload is a mapping with type and its parameters");
        continue;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      Map<String, Mark> marks = new LinkedHashMap<>();
      String name = null;
      for (Node.Entry e : m.entries()) {
        if (e.key().equals("name")) {
          name = e.value() instanceof Node.Scalar s ? s.text() : null;
          continue;
        }
        if (e.key().equals("seed")) {
          problems.add(
              e.keyMark(), path + ".seed", "give seeds in the seeds axis, not per workload");
          continue;
        }
        params.put(e.key(), Fields.plain(e.value(), path + "." + e.key(), problems));
        marks.put(e.key(), e.value().mark());
      }
      Object type = params.get("type");
      if (!(type instanceof String t)) {
        problems.add(m.mark(), path + ".type", "type is required (kernel-build, memory-hog, ...)");
        continue;
      }
      try {
        WorkloadType wt = WorkloadType.ofLabel(t);
        wt.create(new WorkloadParams(params), defaultSeed);
        String label = name != null ? name : wt.label();
        if (!names.add(label)) {
          problems.add(
              m.mark(),
              path,
              "a second workload named '" + label + "': give each workload its own name");
          continue;
        }
        out.add(new Sweep.Workload(label, wt, Map.copyOf(params)));
      } catch (SimulatorException e) {
        String field = e.field();
        Mark at = field != null && marks.containsKey(field) ? marks.get(field) : m.mark();
        problems.add(at, field == null ? path : path + "." + field, e.getMessage());
      }
    }
    return out;
  }

  private List<Sweep.Measure> measures(Fields top, Set<KernelModel> kernels, boolean workloads) {
    List<Node> nodes = top.list("measures", true);
    List<Sweep.Measure> out = new ArrayList<>();
    if (nodes == null) {
      return out;
    }
    Set<String> names = new LinkedHashSet<>(Sweep.KEY_COLUMNS);
    names.add("error");
    Catalog scope = Catalog.sweep(VM, kernels, workloads);
    for (int i = 0; i < nodes.size(); i++) {
      String path = "measures[" + i + "]";
      Node n = nodes.get(i);
      String name = null;
      Node value = n;
      if (n instanceof Node.Mapping) {
        Fields f = Fields.of(n, path, problems);
        name = f.string("name", true);
        value = f.node("value");
        f.finish();
        if (value == null) {
          f.missing("value");
          continue;
        }
      }
      if (!(value instanceof Node.Scalar s) || s.kind() != Node.Kind.STRING) {
        problems.add(value.mark(), path, "a measure is an expression such as meminfo.Unaccepted");
        continue;
      }
      try {
        Expr e = ExprParser.value(s.text(), scope);
        String column = name != null ? name : s.text().strip();
        if (!names.add(column)) {
          problems.add(n.mark(), path, "a second column named '" + column + "'");
          continue;
        }
        out.add(new Sweep.Measure(column, s.text(), e));
      } catch (ExprException e) {
        String where = s.exactColumns() ? "" : " (at character " + (e.offset() + 1) + ")";
        problems.add(s.at(e.offset()), path, e.getMessage() + where);
      }
    }
    if (nodes.isEmpty()) {
      problems.add(top.node("measures").mark(), "measures", "give at least one measure");
    }
    return out;
  }
}
