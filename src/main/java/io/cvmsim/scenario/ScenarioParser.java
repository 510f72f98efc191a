package io.cvmsim.scenario;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.memory.Gfp;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.workload.WorkloadParams;
import io.cvmsim.core.workload.WorkloadType;
import io.cvmsim.scenario.doc.DocumentException;
import io.cvmsim.scenario.doc.Documents;
import io.cvmsim.scenario.doc.Fields;
import io.cvmsim.scenario.doc.Mark;
import io.cvmsim.scenario.doc.Node;
import io.cvmsim.scenario.doc.Problems;
import io.cvmsim.scenario.expr.Catalog;
import io.cvmsim.scenario.expr.Comparison;
import io.cvmsim.scenario.expr.ExprException;
import io.cvmsim.scenario.expr.ExprParser;
import io.cvmsim.scenario.expr.StepFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a scenario file (docs/SCENARIOS.md): every field, VM, step id, snapshot label,
 * workload parameter and expectation, and the configured limits, before anything runs. Every
 * problem found is reported at once, each with its line and column.
 */
public final class ScenarioParser {

  /** The pattern of scenario names. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The pattern of step ids and snapshot labels (names expressions can use). */
  public static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** The longest VM name: the registry name adds "-" and a 6-character run id. */
  public static final int MAX_VM_NAME = 56;

  /** The most steps and the most expectations one file may have. */
  public static final int MAX_STEPS = 10_000;

  /** The step kinds, in documentation order. */
  public static final List<String> KINDS =
      List.of("boot", "allocate", "free", "accept", "workload", "snapshot", "wait", "expect");

  private final Problems problems;
  private final ScenarioLimits limits;
  private final long defaultSeed;
  private final Map<String, KernelModel> vmKernels = new LinkedHashMap<>();
  private final Map<String, StepFields> visibleSteps = new LinkedHashMap<>();
  private final Map<String, String> allocateSteps = new LinkedHashMap<>();
  private final Set<String> backgroundSteps = new LinkedHashSet<>();
  private final Set<String> ids = new HashSet<>();
  private final Set<String> labels = new LinkedHashSet<>();
  private int expectationCount;

  private ScenarioParser(Problems problems, ScenarioLimits limits, long defaultSeed) {
    this.problems = problems;
    this.limits = limits;
    this.defaultSeed = defaultSeed;
  }

  /**
   * Returns the scenario {@code text} describes.
   *
   * @param source the file's name for messages
   * @param defaultSeed the seed of workloads that give none
   * @throws DocumentException with every problem found
   */
  public static Scenario parse(
      String text,
      Documents.Format format,
      String source,
      ScenarioLimits limits,
      long defaultSeed) {
    limits.checkFile(text, source);
    Node root = Documents.parse(text, format, source);
    Problems problems = new Problems(source);
    Scenario s = new ScenarioParser(problems, limits, defaultSeed).scenario(root, source);
    problems.throwIfAny();
    return s;
  }

  private Scenario scenario(Node root, String source) {
    Fields top = Fields.of(root, "", problems);
    String name = top.string("name", true);
    if (name != null && !NAME.matcher(name).matches()) {
      problems.add(
          top.node("name").mark(),
          "name",
          "name must match [a-z0-9][a-z0-9-]{0,62}, got '" + name + "'");
    }
    String description = top.string("description", false);
    List<Scenario.Vm> vms = vms(top);
    List<Scenario.Step> steps = new ArrayList<>();
    List<Node> stepNodes = top.list("steps", false);
    if (stepNodes != null) {
      if (stepNodes.size() > MAX_STEPS) {
        problems.overLimit(top.node("steps").mark(), "steps", "more than " + MAX_STEPS + " steps");
      } else {
        for (int i = 0; i < stepNodes.size(); i++) {
          Scenario.Step s = step(stepNodes.get(i), "steps[" + i + "]", i + 1);
          if (s != null) {
            steps.add(s);
          }
        }
      }
    }
    List<Scenario.Expectation> expectations = new ArrayList<>();
    Node expect = top.node("expect");
    if (expect != null) {
      expectations(expect, "expect", null, expectations);
    }
    top.finish();
    return new Scenario(
        name, description, source, List.copyOf(vms), List.copyOf(steps), List.copyOf(expectations));
  }

  // ------------------------------------------------------------------ VMs

  private List<Scenario.Vm> vms(Fields top) {
    List<Scenario.Vm> out = new ArrayList<>();
    List<Node> nodes = top.list("vms", true);
    if (nodes == null) {
      return out;
    }
    if (nodes.isEmpty()) {
      problems.add(top.node("vms").mark(), "vms", "declare at least one VM");
    }
    if (nodes.size() > limits.maxVms()) {
      problems.overLimit(
          top.node("vms").mark(),
          "vms",
          nodes.size()
              + " VMs are more than cvmsim.limits.max-vms ("
              + limits.maxVms()
              + ") allows");
    }
    long total = 0;
    for (int i = 0; i < nodes.size(); i++) {
      String path = "vms[" + i + "]";
      Fields f = Fields.of(nodes.get(i), path, problems);
      String name = f.string("name", true);
      if (name != null) {
        if (!VmSpec.NAME.matcher(name).matches() || name.length() > MAX_VM_NAME) {
          problems.add(
              f.node("name").mark(),
              f.path("name"),
              "a VM name must match [a-z0-9][a-z0-9-]* and have at most "
                  + MAX_VM_NAME
                  + " characters, got '"
                  + name
                  + "'");
          name = null;
        } else if (vmKernels.containsKey(name)) {
          problems.add(f.node("name").mark(), f.path("name"), "a second VM named '" + name + "'");
          name = null;
        }
      }
      VmSpec spec = VmFields.read(f);
      f.finish();
      if (spec != null && spec.ramBytes() > limits.maxMemoryPerVm()) {
        problems.overLimit(
            f.keyMark(spec.memoryBytes() != null ? "memory" : "efiMemoryMap"),
            f.path(spec.memoryBytes() != null ? "memory" : "efiMemoryMap"),
            "the VM would have "
                + Sizes.format(spec.ramBytes())
                + " of RAM, over cvmsim.limits.max-memory-per-vm ("
                + Sizes.format(limits.maxMemoryPerVm())
                + ")");
      }
      if (spec != null) {
        total += spec.ramBytes();
      }
      if (name != null) {
        vmKernels.put(name, spec == null ? KernelModel.V6_5 : KernelModel.ofLabel(spec.kernel()));
        if (spec != null) {
          out.add(new Scenario.Vm(name, spec, f.mark()));
        }
      }
    }
    if (total > limits.maxTotalMemory()) {
      problems.overLimit(
          top.node("vms").mark(),
          "vms",
          "the VMs together have "
              + Sizes.format(total)
              + " of RAM, over cvmsim.limits.max-total-memory ("
              + Sizes.format(limits.maxTotalMemory())
              + ")");
    }
    return out;
  }

  // ------------------------------------------------------------------ steps

  private Scenario.Step step(Node node, String path, int number) {
    if (!(node instanceof Node.Mapping m) || m.entries().size() != 1) {
      String has =
          node instanceof Node.Mapping m2
              ? "; this one has " + (m2.entries().isEmpty() ? "none" : keys(m2))
              : "";
      problems.add(
          node.mark(),
          path,
          "a step is a mapping with exactly one of " + String.join(", ", KINDS) + has);
      return null;
    }
    Node.Entry e = m.entries().get(0);
    String kind = e.key();
    String p = path + "." + kind;
    if (!KINDS.contains(kind)) {
      problems.add(e.keyMark(), p, "unknown step '" + kind + "'" + Fields.suggest(kind, KINDS));
      return null;
    }
    Node v = e.value();
    Mark mark = e.keyMark();
    return switch (kind) {
      case "boot" -> boot(v, p, number, mark);
      case "allocate" -> allocate(v, p, number, mark);
      case "free" -> free(v, p, number, mark);
      case "accept" -> accept(v, p, number, mark);
      case "workload" -> workload(v, p, number, mark);
      case "snapshot" -> snapshot(v, p, number, mark);
      case "wait" -> waitStep(v, p, number, mark);
      default -> expectStep(v, p, number, mark);
    };
  }

  private static String keys(Node.Mapping m) {
    List<String> k = new ArrayList<>();
    for (Node.Entry e : m.entries()) {
      k.add(e.key());
    }
    return String.join(", ", k);
  }

  /** Returns the fields of a step's value; a null value reads as an empty mapping. */
  private Fields args(Node v, String path) {
    if (Fields.isNull(v)) {
      return Fields.of(new Node.Mapping(v.mark(), List.of()), path, problems);
    }
    return Fields.of(v, path, problems);
  }

  /** Reads and checks the step's id. */
  private String id(Fields f) {
    String id = f.string("id", false);
    if (id == null) {
      return null;
    }
    Mark at = f.node("id").mark();
    if (!ID.matcher(id).matches()) {
      problems.add(at, f.path("id"), "an id must match [A-Za-z_][A-Za-z0-9_]*, got '" + id + "'");
      return null;
    }
    if (!ids.add(id)) {
      problems.add(at, f.path("id"), "a second step with id '" + id + "'");
      return null;
    }
    return id;
  }

  private void visible(String id, StepFields values) {
    if (id != null) {
      visibleSteps.put(id, values);
    }
  }

  /** Returns the step's VM: its vm field, or the only VM. */
  private String vm(Fields f) {
    String vm = f.string("vm", false);
    if (vm == null) {
      if (vmKernels.size() == 1) {
        return vmKernels.keySet().iterator().next();
      }
      problems.add(
          f.mark(), f.path("vm"), "vm is required: the scenario has " + vmKernels.size() + " VMs");
      return null;
    }
    return checkVm(vm, f.node("vm").mark(), f.path("vm"));
  }

  private String checkVm(String vm, Mark at, String path) {
    if (!vmKernels.containsKey(vm)) {
      problems.add(at, path, "unknown VM '" + vm + "'" + Fields.suggest(vm, vmKernels.keySet()));
      return null;
    }
    return vm;
  }

  private Scenario.Step boot(Node v, String path, int number, Mark mark) {
    if (v instanceof Node.Scalar s && s.kind() != Node.Kind.NULL) {
      String vm = checkVm(s.text(), s.mark(), path);
      return vm == null ? null : new Scenario.Boot(number, null, mark, vm);
    }
    Fields f = args(v, path);
    String vm = vm(f);
    String id = id(f);
    f.finish();
    visible(id, StepFields.NONE);
    return vm == null ? null : new Scenario.Boot(number, id, mark, vm);
  }

  private Scenario.Step allocate(Node v, String path, int number, Mark mark) {
    Fields f = args(v, path);
    String vm = vm(f);
    Long order = f.integer("order", false, 0, Sizes.MAX_ORDER);
    Long count = f.integer("count", false, 1, Integer.MAX_VALUE);
    if (count != null && count > limits.maxBatch()) {
      problems.overLimit(
          f.node("count").mark(),
          f.path("count"),
          "count " + count + " is over cvmsim.limits.max-batch (" + limits.maxBatch() + ")");
      count = null;
    }
    Gfp gfp = VmFields.parsed(f, "gfp", Gfp::ofName);
    String id = id(f);
    f.finish();
    visible(id, StepFields.ALLOCATE);
    if (id != null && vm != null) {
      allocateSteps.put(id, vm);
    }
    if (vm == null || (f.has("count") && count == null) || (f.has("order") && order == null)) {
      return null;
    }
    return new Scenario.Allocate(
        number,
        id,
        mark,
        vm,
        gfp == null ? Gfp.GFP_KERNEL : gfp,
        order == null ? 0 : order.intValue(),
        count == null ? 1 : count.intValue());
  }

  private Scenario.Step free(Node v, String path, int number, Mark mark) {
    Fields f = args(v, path);
    String vm = vm(f);
    List<Node> pfnNodes = f.list("pfns", false);
    String from = f.string("step", false);
    String id = id(f);
    f.finish();
    visible(id, StepFields.FREE);
    if ((pfnNodes == null) == (from == null)) {
      problems.add(
          mark, path, "give exactly one of pfns (head pfns) and step (an earlier allocate step)");
      return null;
    }
    long[] pfns = null;
    if (pfnNodes != null) {
      if (pfnNodes.size() > limits.maxBatch()) {
        problems.overLimit(
            f.node("pfns").mark(),
            f.path("pfns"),
            pfnNodes.size() + " pfns are over cvmsim.limits.max-batch (" + limits.maxBatch() + ")");
        return null;
      }
      if (pfnNodes.isEmpty()) {
        problems.add(f.node("pfns").mark(), f.path("pfns"), "pfns is empty");
        return null;
      }
      pfns = new long[pfnNodes.size()];
      for (int i = 0; i < pfns.length; i++) {
        Long pfn =
            Fields.integer(
                pfnNodes.get(i),
                f.path("pfns") + "[" + i + "]",
                "a pfn",
                0,
                Long.MAX_VALUE,
                problems);
        pfns[i] = pfn == null ? -1 : pfn;
      }
    } else {
      String owner = allocateSteps.get(from);
      Mark at = f.node("step").mark();
      if (owner == null) {
        problems.add(
            at,
            f.path("step"),
            "no allocate step with id '"
                + from
                + "' before this one"
                + Fields.suggest(from, allocateSteps.keySet()));
        return null;
      }
      if (vm != null && !owner.equals(vm)) {
        problems.add(
            at, f.path("step"), "step '" + from + "' allocated on " + owner + ", not on " + vm);
        return null;
      }
    }
    return vm == null ? null : new Scenario.Free(number, id, mark, vm, pfns, from);
  }

  private Scenario.Step accept(Node v, String path, int number, Mark mark) {
    Fields f = args(v, path);
    String vm = vm(f);
    Long start = f.size("start", true);
    Long end = f.size("end", true);
    String id = id(f);
    f.finish();
    visible(id, StepFields.ACCEPT);
    if (start != null && end != null) {
      if (start >= end) {
        problems.add(f.node("end").mark(), f.path("end"), "start must be below end");
        return null;
      }
      if (end > Sizes.MAX_PHYS_ADDR) {
        problems.add(
            f.node("end").mark(), f.path("end"), "end must lie within the 52-bit address space");
        return null;
      }
    }
    if (vm == null || start == null || end == null) {
      return null;
    }
    return new Scenario.Accept(number, id, mark, vm, start, end);
  }

  private Scenario.Step workload(Node v, String path, int number, Mark mark) {
    if (!(v instanceof Node.Mapping m)) {
      problems.add(v.mark(), path, "workload must be a mapping with type and its parameters");
      return null;
    }
    Fields f = Fields.of(v, path, problems);
    String vm = vm(f);
    String id = id(f);
    Boolean background = f.bool("background");
    String type = f.string("type", true);
    Map<String, Object> params = new LinkedHashMap<>();
    Map<String, Mark> marks = new LinkedHashMap<>();
    for (Node.Entry e : m.entries()) {
      if (!Set.of("vm", "id", "background").contains(e.key())) {
        params.put(e.key(), Fields.plain(e.value(), path + "." + e.key(), problems));
        marks.put(e.key(), e.value().mark());
      }
    }
    visible(id, StepFields.WORKLOAD);
    if (Boolean.TRUE.equals(background)) {
      if (id == null) {
        problems.add(mark, path, "a background workload needs an id, so that wait can name it");
      } else {
        backgroundSteps.add(id);
      }
    }
    if (type == null) {
      return null;
    }
    WorkloadType wt;
    try {
      wt = WorkloadType.ofLabel(type);
      wt.create(new WorkloadParams(params), defaultSeed);
    } catch (SimulatorException e) {
      String field = e.field();
      Mark at = field != null && marks.containsKey(field) ? marks.get(field) : mark;
      problems.add(at, field == null ? path : path + "." + field, e.getMessage());
      return null;
    }
    if (vm == null) {
      return null;
    }
    return new Scenario.RunWorkload(
        number, id, mark, vm, wt, Map.copyOf(params), Boolean.TRUE.equals(background));
  }

  private Scenario.Step snapshot(Node v, String path, int number, Mark mark) {
    Fields f = args(v, path);
    String vm = vm(f);
    String label = f.string("label", true);
    String id = id(f);
    f.finish();
    visible(id, StepFields.NONE);
    if (label != null) {
      Mark at = f.node("label").mark();
      if (!ID.matcher(label).matches()) {
        problems.add(
            at, f.path("label"), "a label must match [A-Za-z_][A-Za-z0-9_]*, got '" + label + "'");
        return null;
      }
      if (!labels.add(label)) {
        problems.add(at, f.path("label"), "a second snapshot labelled '" + label + "'");
        return null;
      }
    }
    if (vm == null || label == null) {
      return null;
    }
    return new Scenario.Snapshot(number, id, mark, vm, label);
  }

  private Scenario.Step waitStep(Node v, String path, int number, Mark mark) {
    List<String> names = new ArrayList<>();
    List<Node> items =
        Fields.isNull(v) ? List.of() : v instanceof Node.Sequence s ? s.items() : List.of(v);
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Node n = items.get(i);
      if (!(n instanceof Node.Scalar s) || s.kind() == Node.Kind.NULL) {
        problems.add(n.mark(), path, "wait takes 'all', a step id or a list of step ids");
        ok = false;
        continue;
      }
      if (items.size() == 1 && s.text().equals("all")) {
        continue;
      }
      if (!backgroundSteps.contains(s.text())) {
        problems.add(
            n.mark(),
            path,
            "no background workload with id '"
                + s.text()
                + "' before this step"
                + Fields.suggest(s.text(), backgroundSteps));
        ok = false;
        continue;
      }
      names.add(s.text());
    }
    return ok ? new Scenario.Wait(number, null, mark, List.copyOf(names)) : null;
  }

  private Scenario.Step expectStep(Node v, String path, int number, Mark mark) {
    List<Scenario.Expectation> out = new ArrayList<>();
    expectations(v, path, null, out);
    return new Scenario.Expect(number, null, mark, List.copyOf(out));
  }

  // ------------------------------------------------------------------ expectations

  private void expectations(Node n, String path, String vm, List<Scenario.Expectation> out) {
    if (n instanceof Node.Sequence s) {
      for (int i = 0; i < s.items().size(); i++) {
        expectations(s.items().get(i), path + "[" + i + "]", vm, out);
      }
      return;
    }
    if (n instanceof Node.Mapping) {
      Fields f = Fields.of(n, path, problems);
      String defaultVm = vm;
      String given = f.string("vm", false);
      if (given != null) {
        defaultVm = checkVm(given, f.node("vm").mark(), f.path("vm"));
      }
      String name = f.string("name", false);
      Node that = f.node("that");
      f.finish();
      if (that == null) {
        f.missing("that");
        return;
      }
      if (that instanceof Node.Sequence && name != null) {
        problems.add(
            f.node("name").mark(), f.path("name"), "name one expectation at a time, not a list");
        return;
      }
      if (given != null && defaultVm == null) {
        return;
      }
      if (that instanceof Node.Scalar s && s.kind() == Node.Kind.STRING) {
        one(s, f.path("that"), defaultVm, name, out);
      } else {
        expectations(that, f.path("that"), defaultVm, out);
      }
      return;
    }
    Node.Scalar s = (Node.Scalar) n;
    if (s.kind() != Node.Kind.STRING) {
      problems.add(
          s.mark(), path, "an expectation is a string such as 'meminfo.Unaccepted < 1GiB'");
      return;
    }
    one(s, path, vm, null, out);
  }

  private void one(
      Node.Scalar s, String path, String vm, String name, List<Scenario.Expectation> out) {
    if (++expectationCount > MAX_STEPS) {
      if (expectationCount == MAX_STEPS + 1) {
        problems.overLimit(s.mark(), path, "more than " + MAX_STEPS + " expectations");
      }
      return;
    }
    Map<String, KernelModel> kernels = vmKernels;
    Catalog scope = Catalog.scenario(kernels, vm, visibleSteps, labels);
    try {
      Comparison c = ExprParser.comparison(s.text(), scope);
      out.add(new Scenario.Expectation(name != null ? name : s.text(), c, s.textMark()));
    } catch (ExprException e) {
      String where = s.exactColumns() ? "" : " (at character " + (e.offset() + 1) + ")";
      problems.add(s.at(e.offset()), path, e.getMessage() + where);
    }
  }
}
