package io.cvmsim.core.mm;

import io.cvmsim.core.stats.ProcDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel a VM runs, by the label the API uses, with the {@link KernelRules} that make it behave
 * as that kernel. A kernel is one constant here and one rules class; nothing else in the simulator
 * asks which kernel it is.
 */
public enum KernelModel {
  /** Linux 6.1 LTS (Debian 12): no unaccepted memory support. */
  V6_1("6.1", new Linux61()),
  /** Linux 6.5: unaccepted memory as merged. */
  V6_5("6.5", new Linux65()),
  /** Linux 6.12 LTS (Debian 12 backports). */
  V6_12("6.12", new Linux612()),
  /** Mainline as reconstructed in kernel-behaviour.md §10. */
  MAINLINE("mainline", new Mainline());

  private final String label;
  final KernelRules rules;

  KernelModel(String label, KernelRules rules) {
    this.label = label;
    this.rules = rules;
  }

  /** Returns the label the API uses ("6.1", "6.5", "mainline"). */
  public String label() {
    return label;
  }

  /** Returns whether the kernel supports unaccepted memory at all. */
  public boolean supportsUnacceptedMemory() {
    return rules.supportsUnacceptedMemory();
  }

  /**
   * Returns whether the kernel's accept_memory() holds its lock across arch_accept_memory(), so
   * that concurrent acceptance runs one caller at a time (6.5.0).
   */
  public boolean serialisesAcceptance() {
    return rules.serialisesAcceptance();
  }

  /** Returns the dialect of the kernel's /proc files. */
  public ProcDialect procDialect() {
    return rules.procDialect();
  }

  /** Returns every label, in declaration order. */
  public static List<String> labels() {
    List<String> out = new ArrayList<>();
    for (KernelModel k : values()) {
      out.add(k.label);
    }
    return List.copyOf(out);
  }

  /**
   * Returns the model with this label (case-insensitive; the constant's name works too).
   *
   * @throws IllegalArgumentException naming the labels there are
   */
  public static KernelModel ofLabel(String label) {
    String l = label.trim().toLowerCase(Locale.ROOT);
    for (KernelModel k : values()) {
      if (k.label.equals(l) || k.name().equalsIgnoreCase(l)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown kernel '" + label + "' (use one of " + String.join(", ", labels()) + ")");
  }
}
