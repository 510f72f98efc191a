package io.cvmsim.core.vm;

import io.cvmsim.core.memory.Sizes;
import io.cvmsim.core.stats.MemorySnapshot;
import io.cvmsim.core.stats.ProcFormat;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every view a guest answers, rendered as text: the /proc and debugfs files in the kernel's
 * formats, and every record the API turns into JSON, rendered deeply (arrays and lists element by
 * element). Two guests that render alike answer every view alike, byte for byte.
 */
public final class GuestViews {

  private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();

  private GuestViews() {}

  /** Returns every view of {@code vm}. */
  public static String of(GuestVm vm) {
    StringBuilder b = new StringBuilder();
    VmViews.Summary s = vm.summary();
    b.append("summary ").append(deep(s)).append('\n');
    b.append("boot ").append(deep(vm.bootTimeline())).append('\n');
    b.append("host ").append(deep(vm.host())).append('\n');
    b.append("table ").append(deep(vm.unacceptedTable())).append('\n');
    // entries are flat records: their own toString() names every field
    b.append("log ").append(vm.acceptLog(0, Integer.MAX_VALUE));
    b.append(" dropped ").append(vm.acceptLogDropped()).append('\n');
    b.append("map ").append(deep(vm.memoryMapView(0, Sizes.MAX_PHYS_ADDR, 512))).append('\n');
    long end = vm.memoryMap().end();
    b.append("map-ram ").append(deep(vm.memoryMapView(0, end, 4096))).append('\n');
    if (vm.stage() != BootStage.FIRMWARE) {
      b.append("contains ").append(vm.containsUnaccepted(0, end)).append('\n');
    }
    if (vm.stage() == BootStage.KERNEL) {
      MemorySnapshot m = vm.memory();
      b.append(ProcFormat.meminfo(m)).append(ProcFormat.vmstat(m));
      b.append(ProcFormat.buddyinfo(m)).append(ProcFormat.pagetypeinfo(m));
      b.append(ProcFormat.zoneinfo(m)).append(ProcFormat.extfragIndex(m));
      b.append(ProcFormat.unusableIndex(m));
      b.append("memory ").append(deep(m)).append('\n');
    }
    return b.toString();
  }

  /** Renders records, arrays and collections element by element. */
  public static String deep(Object o) {
    if (o == null) {
      return "null";
    }
    if (o.getClass().isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < Array.getLength(o); i++) {
        b.append(i == 0 ? "" : ", ").append(deep(Array.get(o, i)));
      }
      return b.append(']').toString();
    }
    if (o instanceof Collection<?> c) {
      StringBuilder b = new StringBuilder("[");
      for (Object e : c) {
        b.append(b.length() == 1 ? "" : ", ").append(deep(e));
      }
      return b.append(']').toString();
    }
    if (o.getClass().isRecord()) {
      StringBuilder b = new StringBuilder(o.getClass().getSimpleName()).append('{');
      for (RecordComponent rc :
          COMPONENTS.computeIfAbsent(o.getClass(), Class::getRecordComponents)) {
        try {
          b.append(rc.getName()).append('=').append(deep(rc.getAccessor().invoke(o))).append(' ');
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return b.append('}').toString();
    }
    return String.valueOf(o);
  }
}
