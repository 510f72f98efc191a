package io.cvmsim.scenario.expr;

import java.util.Map;

/**
 * Views of a guest recorded under a label by a {@code snapshot} step: the text of /proc/meminfo,
 * /proc/buddyinfo, /proc/zoneinfo and /proc/vmstat, by view name.
 *
 * @param label the label they were recorded under
 * @param vm the scenario's name of the VM they were recorded from
 * @param texts view name to text
 */
public record Views(String label, String vm, Map<String, String> texts) {

  /** The views a snapshot records, in this order. */
  public static final String[] NAMES = {"meminfo", "buddyinfo", "zoneinfo", "vmstat"};

  /** Copies the map. */
  public Views {
    texts = Map.copyOf(texts);
  }

  /** Returns only the view {@code name}. */
  public Views only(String name) {
    return new Views(label + "." + name, vm, Map.of(name, texts.get(name)));
  }

  /** Returns null if both hold the same text in every view, else where they first differ. */
  public String firstDifference(Views other) {
    for (String name : NAMES) {
      String a = texts.get(name);
      String b = other.texts.get(name);
      if (a == null && b == null) {
        continue;
      }
      if (a == null || b == null) {
        return name + " is recorded on one side only";
      }
      if (!a.equals(b)) {
        String[] la = a.split("\n", -1);
        String[] lb = b.split("\n", -1);
        for (int i = 0; i < Math.max(la.length, lb.length); i++) {
          String x = i < la.length ? la[i] : "";
          String y = i < lb.length ? lb[i] : "";
          if (!x.equals(y)) {
            return name + " line " + (i + 1) + ": '" + x.strip() + "' vs '" + y.strip() + "'";
          }
        }
      }
    }
    return null;
  }

  /** Returns a short description: the label and the VM, e.g. "snapshot b1 of b". */
  public String describe() {
    return "snapshot " + label + " of " + vm;
  }
}
