package io.cvmsim.scenario.expr;

import io.cvmsim.core.boot.BootPhase;
import io.cvmsim.core.memory.MigrateType;
import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.stats.Fragmentation;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import io.cvmsim.core.stats.ZoneSnapshot;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.GuestVm;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSettings;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.core.vm.VmViews;
import io.cvmsim.scenario.doc.Fields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every name an expression can read (docs/SCENARIOS.md lists them), resolved against what a file
 * declares: its VMs and their kernel models, the steps before the expression and the snapshot
 * labels recorded so far. View and counter names are those the chosen kernel model prints; they are
 * learned once per model from a small reference guest, so they never drift from the views.
 */
public final class Catalog implements Scope {

  /** The namespaces, in documentation order. */
  public static final List<String> NAMESPACES =
      List.of(
          "meminfo",
          "vmstat",
          "zoneinfo",
          "buddyinfo",
          "pagetypeinfo",
          "extfrag",
          "host",
          "boot",
          "table",
          "steps",
          "snapshot",
          "workload");

  /** host.* fields. */
  static final Map<String, Dim> HOST =
      ordered(
          "backedBytes", Dim.BYTES,
          "operations4k", Dim.NUMBER,
          "operations2m", Dim.NUMBER,
          "operations1g", Dim.NUMBER,
          "failedOperations2m", Dim.NUMBER,
          "failedOperations1g", Dim.NUMBER,
          "hypervisorExits", Dim.NUMBER,
          "calls", Dim.NUMBER,
          "acceptSeconds", Dim.SECONDS);

  /** boot.* fields. */
  static final Map<String, Dim> BOOT =
      ordered(
          "seconds", Dim.SECONDS,
          "userspaceSeconds", Dim.SECONDS,
          "acceptedBytes", Dim.BYTES,
          "acceptSeconds", Dim.SECONDS);

  /** table.* fields. */
  static final Map<String, Dim> TABLE =
      ordered("unacceptedBytes", Dim.BYTES, "sizeBytes", Dim.BYTES, "unitSize", Dim.BYTES);

  /** extfrag.* counters (since boot). */
  static final Map<String, Dim> EXTFRAG =
      ordered("events", Dim.NUMBER, "fragmenting", Dim.NUMBER, "fragmentingMovable", Dim.NUMBER);

  /** zoneinfo.<zone>.* fields besides the zone's vmstat items. */
  static final List<String> ZONE_FIELDS =
      List.of("min", "low", "high", "promo", "boost", "spanned", "present", "managed");

  private final Map<String, Set<KernelModel>> vms;
  private final String defaultVm;
  private final Map<String, StepFields> steps;
  private final Set<String> labels;
  private final boolean snapshots;
  private final String workloadStep;

  private Catalog(
      Map<String, Set<KernelModel>> vms,
      String defaultVm,
      Map<String, StepFields> steps,
      Set<String> labels,
      boolean snapshots,
      String workloadStep) {
    this.vms = vms;
    this.defaultVm = defaultVm;
    this.steps = steps;
    this.labels = labels;
    this.snapshots = snapshots;
    this.workloadStep = workloadStep;
  }

  /**
   * Returns the scope of a scenario's expectation.
   *
   * @param vms the VMs by name, each with its kernel model
   * @param defaultVm the VM that references without {@code (vm)} read, or null (then the only VM)
   * @param steps the steps before the expectation that have ids, by id
   * @param labels the snapshot labels recorded before it
   */
  public static Catalog scenario(
      Map<String, KernelModel> vms,
      String defaultVm,
      Map<String, StepFields> steps,
      Set<String> labels) {
    Map<String, Set<KernelModel>> k = new LinkedHashMap<>();
    vms.forEach((name, kernel) -> k.put(name, Set.of(kernel)));
    String d =
        defaultVm != null ? defaultVm : vms.size() == 1 ? vms.keySet().iterator().next() : null;
    return new Catalog(k, d, Map.copyOf(steps), Set.copyOf(labels), true, null);
  }

  /**
   * Returns the scope of a sweep's measure: one guest (named {@code vm} for the probe) whose kernel
   * is any of {@code kernels}, and {@code workload.*} when the sweep runs workloads.
   */
  public static Catalog sweep(String vm, Set<KernelModel> kernels, boolean workloads) {
    return new Catalog(
        Map.of(vm, Set.copyOf(kernels)),
        vm,
        workloads ? Map.of(vm, StepFields.WORKLOAD) : Map.of(),
        Set.of(),
        false,
        workloads ? vm : null);
  }

  @Override
  public Reader resolve(RefSyntax ref) {
    List<RefSyntax.Segment> segs = ref.segments();
    RefSyntax.Segment head = segs.get(0);
    String ns = head.name();
    if (ns.equals("steps")) {
      noVm(ref);
      return step(ref, 1, steps);
    }
    if (ns.equals("workload")) {
      if (workloadStep == null) {
        throw new ExprException(
            head.offset(),
            snapshots
                ? "workload.* belongs to sweeps; in a scenario read steps.<id>.<field>"
                : "this sweep runs no workload (give workloads to read workload.*)");
      }
      noVm(ref);
      return stepFields(ref, 1, workloadStep, StepFields.WORKLOAD);
    }
    if (ns.equals("snapshot")) {
      noVm(ref);
      return snapshot(ref);
    }
    if (!NAMESPACES.contains(ns)) {
      throw new ExprException(
          head.offset(),
          "unknown name '" + ns + "'" + Fields.suggest(ns, NAMESPACES) + hintForFunctions(ns));
    }
    return vmView(ns, ref);
  }

  private static String hintForFunctions(String ns) {
    return ns.equals("abs") || ns.equals("min") || ns.equals("max") ? "; call it with (...)" : "";
  }

  // ------------------------------------------------------------------ views of a VM

  private Reader vmView(String ns, RefSyntax ref) {
    List<RefSyntax.Segment> segs = ref.segments();
    String vmName = null;
    int vmAt = -1;
    List<String> names = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    Set<String> meminfoFields = ns.equals("meminfo") ? union(n -> n.meminfo) : Set.of();
    for (RefSyntax.Segment s : segs) {
      String name = s.name();
      if (s.paren() != null) {
        String joined = name + "(" + s.paren() + ")";
        if (meminfoFields.contains(joined)) {
          name = joined;
        } else {
          if (vmName != null) {
            throw new ExprException(s.parenOffset(), "only one (vm) per reference");
          }
          vmName = s.paren();
          vmAt = s.parenOffset();
        }
      }
      names.add(name);
      offsets.add(s.offset());
    }
    if (ref.trailing() != null) {
      if (vmName != null) {
        throw new ExprException(ref.trailing().parenOffset(), "only one (vm) per reference");
      }
      vmName = ref.trailing().paren();
      vmAt = ref.trailing().parenOffset();
    }
    String vm = vm(vmName, vmAt, ref);
    Set<KernelModel> kernels = vms.get(vm);
    return switch (ns) {
      case "meminfo" -> meminfo(vm, kernels, names, offsets, ref);
      case "vmstat" -> vmstat(vm, kernels, names, offsets, ref);
      case "zoneinfo" -> zoneinfo(vm, kernels, names, offsets, ref);
      case "buddyinfo" -> buddyinfo(vm, kernels, names, offsets, ref);
      case "pagetypeinfo" -> pagetypeinfo(vm, kernels, names, offsets, ref);
      case "extfrag" -> extfrag(vm, kernels, names, offsets, ref);
      case "host" -> host(vm, names, offsets, ref);
      case "boot" -> boot(vm, names, offsets, ref);
      default -> table(vm, names, offsets, ref);
    };
  }

  private String vm(String name, int at, RefSyntax ref) {
    if (name != null) {
      if (!vms.containsKey(name)) {
        throw new ExprException(
            at,
            "unknown VM '"
                + name
                + "'"
                + Fields.suggest(name, vms.keySet())
                + (snapshots ? "" : "; a sweep's measures read its one guest without (vm)"));
      }
      return name;
    }
    if (defaultVm == null) {
      throw new ExprException(
          ref.offset(),
          "name the VM: this file has "
              + vms.size()
              + " VMs ("
              + String.join(", ", vms.keySet())
              + "), e.g. "
              + ref.segments().get(0).name()
              + "("
              + vms.keySet().iterator().next()
              + ")..., or give the expect step a vm");
    }
    return defaultVm;
  }

  private static void noVm(RefSyntax ref) {
    for (RefSyntax.Segment s : ref.segments()) {
      if (s.paren() != null) {
        throw new ExprException(s.parenOffset(), s.name() + " takes no (vm)");
      }
    }
    if (ref.trailing() != null) {
      throw new ExprException(ref.trailing().parenOffset(), "this reference takes no (vm)");
    }
  }

  private static void arity(List<String> names, List<Integer> offsets, int n, String form) {
    if (names.size() < n) {
      throw new ExprException(offsets.get(names.size() - 1), "incomplete reference; write " + form);
    }
    if (names.size() > n) {
      throw new ExprException(offsets.get(n), "unexpected '." + names.get(n) + "'; write " + form);
    }
  }

  private static void noIndex(RefSyntax ref, String what) {
    if (ref.index() != null) {
      throw new ExprException(ref.indexOffset(), what + " takes no [index]");
    }
  }

  private static int order(RefSyntax ref, String form) {
    if (ref.index() == null) {
      throw new ExprException(
          ref.offset() + ref.text().length(), "give the order in brackets: " + form);
    }
    if (ref.index() > Sizes.MAX_ORDER) {
      throw new ExprException(
          ref.indexOffset(), "orders run from 0 to " + Sizes.MAX_ORDER + ", got " + ref.index());
    }
    return ref.index();
  }

  private static String known(
      String what, String name, Set<String> names, Set<KernelModel> kernels, int at) {
    if (!names.contains(name)) {
      throw new ExprException(
          at,
          "unknown "
              + what
              + " '"
              + name
              + "'"
              + (kernels.size() == 1 ? " for kernel " + kernels.iterator().next().label() : "")
              + Fields.suggest(name, names));
    }
    return name;
  }

  private static Set<String> common(
      Set<KernelModel> kernels, Function<KernelNames, Set<String>> f) {
    Set<String> out = null;
    for (KernelModel k : kernels) {
      Set<String> s = f.apply(KernelNames.of(k));
      if (out == null) {
        out = new LinkedHashSet<>(s);
      } else {
        out.retainAll(s);
      }
    }
    return out == null ? Set.of() : out;
  }

  private Set<String> union(Function<KernelNames, Set<String>> f) {
    Set<String> out = new LinkedHashSet<>();
    for (Set<KernelModel> ks : vms.values()) {
      for (KernelModel k : ks) {
        out.addAll(f.apply(KernelNames.of(k)));
      }
    }
    return out;
  }

  private static Reader meminfo(
      String vm, Set<KernelModel> kernels, List<String> n, List<Integer> o, RefSyntax ref) {
    arity(n, o, 2, "meminfo.<field>, e.g. meminfo.Unaccepted");
    noIndex(ref, "meminfo");
    String field =
        known("meminfo field", n.get(1), common(kernels, k -> k.meminfo), kernels, o.get(1));
    boolean count = field.startsWith("HugePages_");
    return reader(
        count ? Dim.NUMBER : Dim.BYTES,
        p -> {
          Long kb = ProcFormat.meminfoFields(p.memory(vm)).get(field);
          if (kb == null) {
            throw new EvalException(vm + "'s meminfo has no " + field);
          }
          return count ? BigDecimal.valueOf(kb) : BigDecimal.valueOf(kb).multiply(KIB);
        });
  }

  private static final BigDecimal KIB = BigDecimal.valueOf(1024);

  private static Reader vmstat(
      String vm, Set<KernelModel> kernels, List<String> n, List<Integer> o, RefSyntax ref) {
    arity(n, o, 2, "vmstat.<item>, e.g. vmstat.pgalloc_normal");
    noIndex(ref, "vmstat");
    String item = known("vmstat item", n.get(1), common(kernels, k -> k.vmstat), kernels, o.get(1));
    return reader(
        Dim.NUMBER,
        p -> {
          Long v = ProcFormat.vmstatFields(p.memory(vm)).get(item);
          if (v == null) {
            throw new EvalException(vm + "'s vmstat has no " + item);
          }
          return BigDecimal.valueOf(v);
        });
  }

  private static Reader zoneinfo(
      String vm, Set<KernelModel> kernels, List<String> n, List<Integer> o, RefSyntax ref) {
    arity(n, o, 3, "zoneinfo.<zone>.<field>, e.g. zoneinfo.Normal.managed");
    noIndex(ref, "zoneinfo");
    String zone = known("zone", n.get(1), common(kernels, k -> k.zones), kernels, o.get(1));
    String item =
        known("zoneinfo field", n.get(2), common(kernels, k -> k.zoneItems), kernels, o.get(2));
    return reader(
        Dim.NUMBER,
        p -> {
          MemorySnapshot s = p.memory(vm);
          ZoneSnapshot z = zone(s, zone, vm);
          int level = List.of("min", "low", "high", "promo").indexOf(item);
          long v =
              level >= 0
                  ? z.wmark(level)
                  : switch (item) {
                    case "boost" -> z.watermarkBoost();
                    case "spanned" -> z.spannedPages();
                    case "present" -> z.presentPages();
                    case "managed" -> z.managedPages();
                    default -> ProcFormat.zoneStats(s, z).getOrDefault(item, 0L);
                  };
          return BigDecimal.valueOf(v);
        });
  }

  private static ZoneSnapshot zone(MemorySnapshot s, String zone, String vm) {
    for (ZoneSnapshot z : s.zones()) {
      if (z.name().equals(zone)) {
        return z;
      }
    }
    throw new EvalException(vm + " has no zone " + zone);
  }

  private static Reader buddyinfo(
      String vm, Set<KernelModel> kernels, List<String> n, List<Integer> o, RefSyntax ref) {
    String form = "buddyinfo.<zone>[order], e.g. buddyinfo.Normal[10]";
    arity(n, o, 2, form);
    String zone = known("zone", n.get(1), common(kernels, k -> k.zones), kernels, o.get(1));
    int order = order(ref, form);
    return reader(
        Dim.NUMBER, p -> BigDecimal.valueOf(zone(p.memory(vm), zone, vm).nrFree()[order]));
  }

  private static Reader pagetypeinfo(
      String vm, Set<KernelModel> kernels, List<String> n, List<Integer> o, RefSyntax ref) {
    String form =
        "pagetypeinfo.<zone>.<migratetype>[order] or pagetypeinfo.<zone>.blocks.<migratetype>";
    if (n.size() < 3) {
      arity(n, o, 3, form);
    }
    String zone = known("zone", n.get(1), common(kernels, k -> k.zones), kernels, o.get(1));
    Set<String> types = new LinkedHashSet<>();
    for (MigrateType t : MigrateType.values()) {
      types.add(t.procName());
    }
    if (n.get(2).equals("blocks")) {
      arity(n, o, 4, form);
      noIndex(ref, "pagetypeinfo.<zone>.blocks");
      int mt = migrateType(known("migrate type", n.get(3), types, Set.of(), o.get(3)));
      return reader(
          Dim.NUMBER, p -> BigDecimal.valueOf(zone(p.memory(vm), zone, vm).pageblocks()[mt]));
    }
    arity(n, o, 3, form);
    int mt = migrateType(known("migrate type", n.get(2), types, Set.of(), o.get(2)));
    int order = order(ref, form);
    return reader(
        Dim.NUMBER, p -> BigDecimal.valueOf(zone(p.memory(vm), zone, vm).freeBlocks()[order][mt]));
  }

  private static int migrateType(String name) {
    for (MigrateType t : MigrateType.values()) {
      if (t.procName().equals(name)) {
        return t.ordinal();
      }
    }
    throw new IllegalStateException(name);
  }

  private static Reader extfrag(
      String vm, Set<KernelModel> kernels, List<String> n, List<Integer> o, RefSyntax ref) {
    String form =
        "extfrag.events, extfrag.fragmenting, extfrag.fragmentingMovable,"
            + " extfrag.index.<zone>[order] or extfrag.unusable.<zone>[order]";
    if (n.size() < 2) {
      arity(n, o, 2, form);
    }
    String what = n.get(1);
    if (what.equals("index") || what.equals("unusable")) {
      arity(n, o, 3, form);
      String zone = known("zone", n.get(2), common(kernels, k -> k.zones), kernels, o.get(2));
      int order = order(ref, form);
      boolean index = what.equals("index");
      return reader(
          Dim.NUMBER,
          p -> {
            long[] nrFree = zone(p.memory(vm), zone, vm).nrFree();
            int thousandths =
                index
                    ? Fragmentation.fragmentationIndex(nrFree, order)
                    : Fragmentation.unusableIndex(nrFree, order);
            return BigDecimal.valueOf(thousandths, 3);
          });
    }
    arity(n, o, 2, form);
    noIndex(ref, "extfrag." + what);
    Set<String> names = new LinkedHashSet<>(EXTFRAG.keySet());
    names.add("index");
    names.add("unusable");
    known("extfrag value", what, names, Set.of(), o.get(1));
    return reader(
        Dim.NUMBER,
        p -> {
          MemorySnapshot s = p.memory(vm);
          long v =
              switch (what) {
                case "events" -> s.extfragTotal();
                case "fragmenting" -> s.extfragFragmenting();
                default -> s.extfragFragmentingMovable();
              };
          return BigDecimal.valueOf(v);
        });
  }

  private static Reader host(String vm, List<String> n, List<Integer> o, RefSyntax ref) {
    arity(n, o, 2, "host.<field>, e.g. host.backedBytes");
    noIndex(ref, "host");
    String f = known("host field", n.get(1), HOST.keySet(), Set.of(), o.get(1));
    return reader(
        HOST.get(f),
        p -> {
          VmViews.Host h = p.host(vm);
          return switch (f) {
            case "backedBytes" -> BigDecimal.valueOf(h.backedBytes());
            case "operations4k" -> BigDecimal.valueOf(h.operations4k());
            case "operations2m" -> BigDecimal.valueOf(h.operations2m());
            case "operations1g" -> BigDecimal.valueOf(h.operations1g());
            case "failedOperations2m" -> BigDecimal.valueOf(h.failedOperations2m());
            case "failedOperations1g" -> BigDecimal.valueOf(h.failedOperations1g());
            case "hypervisorExits" -> BigDecimal.valueOf(h.hypervisorExits());
            case "calls" -> BigDecimal.valueOf(h.calls());
            default -> BigDecimal.valueOf(h.simulatedAcceptNanos(), 9);
          };
        });
  }

  private static Reader boot(String vm, List<String> n, List<Integer> o, RefSyntax ref) {
    arity(n, o, 2, "boot.<field>, e.g. boot.seconds");
    noIndex(ref, "boot");
    String f = known("boot field", n.get(1), BOOT.keySet(), Set.of(), o.get(1));
    return reader(
        BOOT.get(f),
        p -> {
          VmViews.Boot b = p.boot(vm);
          return switch (f) {
            case "seconds" -> BigDecimal.valueOf(b.totalNanos(), 9);
            case "userspaceSeconds" -> BigDecimal.valueOf(Math.max(0, b.userspaceAtNanos()), 9);
            case "acceptedBytes" -> {
              long sum = 0;
              for (BootPhase ph : b.phases()) {
                sum += ph.acceptedBytes();
              }
              yield BigDecimal.valueOf(sum);
            }
            default -> {
              long sum = 0;
              for (BootPhase ph : b.phases()) {
                sum += ph.acceptNanos();
              }
              yield BigDecimal.valueOf(sum, 9);
            }
          };
        });
  }

  private static Reader table(String vm, List<String> n, List<Integer> o, RefSyntax ref) {
    arity(n, o, 2, "table.<field>, e.g. table.unacceptedBytes");
    noIndex(ref, "table");
    String f = known("table field", n.get(1), TABLE.keySet(), Set.of(), o.get(1));
    return reader(
        TABLE.get(f),
        p -> {
          VmViews.Table t = p.table(vm);
          return switch (f) {
            case "unacceptedBytes" -> BigDecimal.valueOf(t.unacceptedBytes());
            case "sizeBytes" -> BigDecimal.valueOf(t.sizeBytes());
            default -> BigDecimal.valueOf(t.unitSize());
          };
        });
  }

  // ------------------------------------------------------------------ steps and snapshots

  private Reader step(RefSyntax ref, int at, Map<String, StepFields> visible) {
    List<RefSyntax.Segment> segs = ref.segments();
    if (!snapshots) {
      throw new ExprException(segs.get(0).offset(), "steps.* belongs to scenarios");
    }
    if (segs.size() < 2) {
      throw new ExprException(segs.get(0).offset(), "write steps.<id>.<field>");
    }
    RefSyntax.Segment id = segs.get(at);
    StepFields kind = visible.get(id.name());
    if (kind == null) {
      throw new ExprException(
          id.offset(),
          "no step with id '"
              + id.name()
              + "' before this point"
              + Fields.suggest(id.name(), visible.keySet()));
    }
    if (kind == StepFields.NONE) {
      throw new ExprException(id.offset(), "step '" + id.name() + "' reports no values");
    }
    return stepFields(ref, at + 1, id.name(), kind);
  }

  private static Reader stepFields(RefSyntax ref, int at, String id, StepFields kind) {
    List<RefSyntax.Segment> segs = ref.segments();
    if (segs.size() != at + 1) {
      int off = segs.size() > at + 1 ? segs.get(at + 1).offset() : ref.offset();
      throw new ExprException(
          off, "write " + segs.get(0).name() + (at == 2 ? "." + id : "") + ".<field>");
    }
    noIndex(ref, segs.get(0).name());
    RefSyntax.Segment f = segs.get(at);
    String field = known("field", f.name(), kind.fields().keySet(), Set.of(), f.offset());
    Dim dim = kind.fields().get(field);
    return reader(
        dim,
        p -> {
          BigDecimal v = p.step(id).get(field);
          if (v == null) {
            throw new EvalException("step '" + id + "' has no value " + field);
          }
          return v;
        });
  }

  private Reader snapshot(RefSyntax ref) {
    List<RefSyntax.Segment> segs = ref.segments();
    if (!snapshots) {
      throw new ExprException(segs.get(0).offset(), "snapshot.* belongs to scenarios");
    }
    if (segs.size() < 2 || segs.size() > 3) {
      throw new ExprException(
          segs.get(0).offset(), "write snapshot.<label> or snapshot.<label>.<view>");
    }
    noIndex(ref, "snapshot");
    RefSyntax.Segment label = segs.get(1);
    if (!labels.contains(label.name())) {
      throw new ExprException(
          label.offset(),
          "no snapshot labelled '"
              + label.name()
              + "' is recorded before this point"
              + Fields.suggest(label.name(), labels));
    }
    String view =
        segs.size() == 3
            ? known("view", segs.get(2).name(), Set.of(Views.NAMES), Set.of(), segs.get(2).offset())
            : null;
    return reader(
        Dim.VIEWS,
        p -> {
          Views v = p.snapshot(label.name());
          return view == null ? v : v.only(view);
        });
  }

  // ------------------------------------------------------------------ helpers

  private static Reader reader(Dim dim, Function<Probe, Object> read) {
    return new Reader() {
      @Override
      public Dim dim() {
        return dim;
      }

      @Override
      public Object read(Probe probe) {
        return read.apply(probe);
      }
    };
  }

  private static Map<String, Dim> ordered(Object... pairs) {
    Map<String, Dim> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Dim) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The names one kernel model prints, learned from a booted 1 GiB reference guest. */
  static final class KernelNames {
    private static final Map<KernelModel, KernelNames> CACHE = new ConcurrentHashMap<>();

    final Set<String> meminfo;
    final Set<String> vmstat;
    final Set<String> zones;
    final Set<String> zoneItems;

    private KernelNames(KernelModel kernel) {
      VmSpec spec =
          new VmSpec(
              null,
              Platform.TDX,
              kernel.label(),
              AcceptPolicy.LAZY,
              Sizes.GIB,
              null,
              null,
              1,
              BootStage.KERNEL,
              null,
              false);
      MemorySnapshot s = GuestVm.create("names", spec, VmSettings.DEFAULTS).memory();
      meminfo = new LinkedHashSet<>(ProcFormat.meminfoFields(s).keySet());
      vmstat = new LinkedHashSet<>(ProcFormat.vmstatFields(s).keySet());
      Set<String> z = new LinkedHashSet<>();
      Set<String> items = new LinkedHashSet<>(ZONE_FIELDS);
      if (!"mainline".equals(s.kernel())) {
        items.remove("promo");
      }
      for (ZoneSnapshot zs : s.zones()) {
        z.add(zs.name());
        items.addAll(ProcFormat.zoneStats(s, zs).keySet());
      }
      zones = z;
      zoneItems = items;
    }

    static KernelNames of(KernelModel kernel) {
      return CACHE.computeIfAbsent(kernel, KernelNames::new);
    }
  }
}
