package io.cvmsim.scenario;

import io.cvmsim.core.SimulatorException;
import io.cvmsim.core.firmware.EfiMemoryDescriptor;
import io.cvmsim.core.firmware.EfiMemoryMap;
import io.cvmsim.core.firmware.EfiMemoryType;
import io.cvmsim.core.memory.PageSize;
import io.cvmsim.core.mm.KernelModel;
import io.cvmsim.core.vm.AcceptPolicy;
import io.cvmsim.core.vm.BootStage;
import io.cvmsim.core.vm.Platform;
import io.cvmsim.core.vm.VmSpec;
import io.cvmsim.scenario.doc.Fields;
import io.cvmsim.scenario.doc.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a VM declaration: the fields of {@code POST /api/v1/vms} (platform, memory or efiMemoryMap,
 * firmwareAcceptedBytes, acceptPolicy, kernel, vcpus, bootTo, hostPageSize, khugepaged), with the
 * API's meaning and checks.
 */
public final class VmFields {

  /** The fields, in the API's order. */
  static final List<String> NAMES =
      List.of(
          "platform",
          "memory",
          "efiMemoryMap",
          "firmwareAcceptedBytes",
          "acceptPolicy",
          "kernel",
          "vcpus",
          "bootTo",
          "hostPageSize",
          "khugepaged");

  private VmFields() {}

  /** Returns the value of an enum-like field read with {@code parser}, or null. */
  public static <T> T parsed(Fields f, String key, Function<String, T> parser) {
    String text = f.string(key, false);
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      f.problems().add(f.node(key).mark(), f.path(key), e.getMessage());
      return null;
    }
  }

  /**
   * Returns the spec the fields describe (unnamed), or null after recording every problem found.
   */
  static VmSpec read(Fields f) {
    int before = f.problems().count();
    Platform platform = parsed(f, "platform", Platform::ofName);
    Long memory = f.size("memory", false);
    EfiMemoryMap map = efiMap(f);
    Long firmware = f.size("firmwareAcceptedBytes", false);
    AcceptPolicy policy = parsed(f, "acceptPolicy", AcceptPolicy::ofName);
    KernelModel kernel = parsed(f, "kernel", KernelModel::ofLabel);
    Long vcpus = f.integer("vcpus", false, 1, VmSpec.MAX_VCPUS);
    BootStage bootTo = parsed(f, "bootTo", BootStage::ofName);
    PageSize host = parsed(f, "hostPageSize", PageSize::ofLabel);
    Boolean thp = f.bool("khugepaged");
    if (f.problems().count() > before) {
      return null;
    }
    try {
      return new VmSpec(
          null,
          platform,
          kernel == null ? null : kernel.label(),
          policy,
          memory,
          map,
          firmware,
          vcpus == null ? 4 : vcpus.intValue(),
          bootTo,
          host,
          thp != null ? thp : VmSpec.DEFAULT_KHUGEPAGED);
    } catch (SimulatorException e) {
      String field = e.field() == null ? null : e.field().replaceAll("[.\\[].*$", "");
      f.problems()
          .add(
              field != null && f.has(field) ? f.keyMark(field) : f.mark(),
              field == null ? f.path() : f.path(e.field()),
              e.getMessage());
      return null;
    }
  }

  private static EfiMemoryMap efiMap(Fields f) {
    List<Node> items = f.list("efiMemoryMap", false);
    if (items == null) {
      return null;
    }
    List<EfiMemoryDescriptor> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      String path = f.path("efiMemoryMap") + "[" + i + "]";
      Fields d = Fields.of(items.get(i), path, f.problems());
      EfiMemoryType type = null;
      Node t = d.node("type");
      if (t == null) {
        d.missing("type");
      } else if (t instanceof Node.Scalar s) {
        try {
          type =
              s.kind() == Node.Kind.INTEGER
                  ? EfiMemoryType.ofNumber(s.number().intValue())
                  : EfiMemoryType.ofName(s.text());
        } catch (IllegalArgumentException e) {
          f.problems().add(t.mark(), d.path("type"), e.getMessage());
        }
      } else {
        f.problems().add(t.mark(), d.path("type"), "type must be a name or a number");
      }
      Long start = d.size("physStart", true);
      Long pages = d.integer("pages", true, 1, Long.MAX_VALUE);
      d.finish();
      if (type == null || start == null || pages == null) {
        ok = false;
        continue;
      }
      out.add(new EfiMemoryDescriptor(type, start, pages));
    }
    if (!ok) {
      return null;
    }
    try {
      return EfiMemoryMap.of(out);
    } catch (SimulatorException e) {
      f.problems().add(f.keyMark("efiMemoryMap"), f.path("efiMemoryMap"), e.getMessage());
      return null;
    }
  }
}
